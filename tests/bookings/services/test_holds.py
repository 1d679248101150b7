"""Holding a slot: validation through the slot engine, expiry, and no double booking."""

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, connection, connections, transaction

import bookings.services.holds as services
from bookings.errors import BookingError, SlotTaken
from bookings.models import Booking
from bookings.selectors.busy import hold_busy_times
from bookings.services import booking_expire_holds
from marketplace.models import SessionType
from tests.builders import bookable_expert, held_booking, session_type_of
from tests.concurrency import in_own_connection
from tests.factories import UserFactory

NOW = datetime(2026, 6, 1, 6, tzinfo=UTC)  # a Monday
SLOT = datetime(2026, 6, 3, 8, tzinfo=UTC)  # Wednesday 10:00 in Berlin
HOUR = timedelta(hours=1)


def an_expert():
    """Berlin, Monday to Friday 9:00–17:00, a 15-minute buffer, one 60-minute session at EUR 60."""
    return bookable_expert(buffer=15).profile.user


def hold(learner, expert, start=SLOT, now=NOW):
    return held_booking(learner=learner, session_type=session_type_of(expert), start=start, now=now)


@pytest.fixture
def people(db):
    return UserFactory(), UserFactory(), an_expert()


def test_hold_a_listed_slot(people):
    learner, _, expert = people
    booking = hold(learner, expert)
    assert (booking.start, booking.end, booking.status) == (SLOT, SLOT + HOUR, Booking.Status.HELD)
    assert booking.hold_expires_at == NOW + timedelta(minutes=10)
    assert booking.reference == f"booking-{booking.pk}"


@pytest.mark.parametrize(
    ("start", "code"),
    [
        (datetime(2026, 5, 30, 8, tzinfo=UTC), "past"),
        (datetime(2026, 6, 1, 9, tzinfo=UTC), "too_soon"),
        (datetime(2026, 9, 2, 8, tzinfo=UTC), "too_far"),
        (datetime(2026, 6, 6, 8, tzinfo=UTC), "outside_availability"),  # Saturday
        (datetime(2026, 6, 3, 8, 10, tzinfo=UTC), "outside_availability"),  # off the step
        (datetime(2026, 6, 3, 8), "invalid"),  # noqa: DTZ001 (naive on purpose)
    ],
)
def test_wrong_times_are_refused_with_a_clear_message(people, start, code):
    learner, _, expert = people
    with pytest.raises(BookingError) as refused:
        hold(learner, expert, start=start)
    assert refused.value.code == code and refused.value.message
    assert not Booking.objects.exists()


def test_nobody_books_themselves(people):
    _, _, expert = people
    with pytest.raises(BookingError) as refused:
        hold(expert, expert)
    assert refused.value.code == "self_booking" and not Booking.objects.exists()


def test_the_price_is_the_session_types_read_under_the_lock(people):
    learner, _, expert = people
    session_type = session_type_of(expert)
    SessionType.objects.filter(pk=session_type.pk).update(price_minor=7_500)
    # The caller's copy still says 6,000: the service reads the current price itself.
    booking = held_booking(learner=learner, session_type=session_type, start=SLOT, now=NOW)
    assert (booking.amount_minor, booking.currency, booking.session_type_id) == (7_500, "EUR", session_type.pk)


def test_a_session_type_switched_off_or_a_paused_expert_is_refused(people):
    learner, _, expert = people
    session_type = session_type_of(expert)
    SessionType.objects.filter(pk=session_type.pk).update(is_active=False)
    with pytest.raises(BookingError) as refused:
        held_booking(learner=learner, session_type=session_type, start=SLOT, now=NOW)
    assert refused.value.code == "not_offered"
    SessionType.objects.filter(pk=session_type.pk).update(is_active=True)
    expert.expert_profile.__class__.objects.filter(user=expert).update(status="paused")
    with pytest.raises(BookingError) as refused:
        held_booking(learner=learner, session_type=session_type, start=SLOT, now=NOW)
    assert refused.value.code == "not_offered" and not Booking.objects.exists()


def test_a_held_slot_and_its_buffer_are_taken_until_the_hold_expires(people):
    first, second, expert = people
    hold(first, expert)
    for start in (SLOT, SLOT + timedelta(minutes=30), SLOT + HOUR):  # overlap, overlap, inside the buffer
        with pytest.raises(SlotTaken) as refused:
            hold(second, expert, start=start)
        assert refused.value.code == "taken"
    assert hold(second, expert, start=SLOT + timedelta(minutes=90)).status == Booking.Status.HELD
    # Eleven minutes later the first hold has lapsed: the slot is free again.
    later = NOW + timedelta(minutes=11)
    again = hold(second, an_expert(), now=later)  # learner busy check is per learner…
    assert again.status == Booking.Status.HELD
    third = UserFactory()
    taken_back = hold(third, expert, now=later)
    assert taken_back.start == SLOT
    assert Booking.objects.get(learner=first).status == Booking.Status.EXPIRED


def test_a_lapsed_hold_in_the_way_is_expired_before_the_insert(people, django_assert_num_queries):
    learner, _, expert = people
    lapsed = hold(learner, expert)
    other_session = session_type_of(an_expert())
    later = NOW + timedelta(minutes=11)
    # Same learner, same time, another expert: the lapsed hold would trip the
    # learner's exclusion constraint, so it is read and marked expired first, and
    # billing looks for a PaymentIntent of it to cancel (three more statements).
    with django_assert_num_queries(12):
        again = held_booking(learner=learner, session_type=other_session, start=SLOT, now=later)
    lapsed.refresh_from_db()
    assert (lapsed.status, again.status) == (Booking.Status.EXPIRED, Booking.Status.HELD)


def test_a_learner_cannot_hold_two_overlapping_sessions(people):
    learner, _, expert = people
    hold(learner, expert)
    with pytest.raises(SlotTaken) as refused:
        hold(learner, an_expert(), start=SLOT + timedelta(minutes=30))
    assert refused.value.code == "learner_busy"


def test_expiry_job_frees_lapsed_holds_only(people):
    first, second, expert = people
    old = hold(first, expert)
    fresh = hold(second, expert, start=SLOT + timedelta(hours=3), now=NOW + timedelta(minutes=9))
    assert booking_expire_holds(now=NOW + timedelta(minutes=10)) == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == (Booking.Status.EXPIRED, Booking.Status.HELD)


def test_database_refuses_overlaps_that_bypass_the_service(people):
    assert connection.vendor == "postgresql"
    first, second, expert = people
    values = {"start": SLOT, "end": SLOT + HOUR, "amount_minor": 1, "currency": "EUR", "hold_expires_at": NOW}
    Booking.objects.create(learner=first, expert=expert, **values)
    with pytest.raises(IntegrityError, match="booking_expert_no_overlap"), transaction.atomic():
        Booking.objects.create(learner=second, expert=expert, **{**values, "start": SLOT + timedelta(minutes=59)})
    with pytest.raises(IntegrityError, match="booking_learner_no_overlap"), transaction.atomic():
        Booking.objects.create(learner=first, expert=an_expert(), **values)
    # Touching is not overlapping, and an expired hold occupies nothing.
    Booking.objects.create(learner=second, expert=expert, **{**values, "start": SLOT + HOUR, "end": SLOT + 2 * HOUR})
    Booking.objects.filter(learner=first).update(status=Booking.Status.EXPIRED)
    Booking.objects.create(learner=UserFactory(), expert=expert, **values)


def test_hold_query_count_does_not_grow_with_existing_bookings(people, django_assert_num_queries):
    first, second, expert = people
    hold(first, expert)
    session_type = session_type_of(expert)
    # savepoint, lock, the learner's velocity limits, the session type and profile, weekly
    # hours, days off, busy times, insert, release (no lapsed hold in the way: no expiry write)
    with django_assert_num_queries(9):
        held_booking(learner=second, session_type=session_type, start=SLOT + timedelta(hours=2), now=NOW)
    for day in (4, 5):
        for number in range(4):
            start = datetime(2026, 6, day, 7, tzinfo=UTC) + number * timedelta(minutes=90)
            hold(UserFactory(), expert, start=start)
    late = UserFactory()
    with django_assert_num_queries(9):
        held_booking(learner=late, session_type=session_type, start=SLOT + timedelta(hours=4), now=NOW)


# --- Concurrency -------------------------------------------------------------


@pytest.fixture
def committed_people(db):
    """Real, committed rows for the parallel requests; deleted afterwards (no table
    flush, so a reused test database keeps its migrated data)."""
    expert, learners = in_own_connection(lambda: (an_expert(), UserFactory.create_batch(24)))
    yield expert, learners

    def clean():
        Booking.objects.filter(expert=expert).delete()
        expert.expert_profile.delete()
        for user in [expert, *learners]:
            user.emailaddress_set.all().delete()
            user.delete()

    in_own_connection(clean)


def race(expert, learners, monkeypatch, *, all_check_before_any_insert=False):
    """Fire one hold per learner at the same slot at once; return (successes, refusal codes, errors).

    With ``all_check_before_any_insert`` every request waits after its availability
    check until all of them have checked, so without the lock the check-then-insert
    gap is certain rather than left to the scheduler (only usable without the lock:
    under it the waiters would hold each other up)."""
    real_validate = services.validate_slot
    checked = threading.Barrier(len(learners))

    def slow_validate(**kwargs):
        # Widen the gap between check and insert so a missing lock shows.
        slot = real_validate(**kwargs)
        if all_check_before_any_insert:
            checked.wait(timeout=30)
        else:
            time.sleep(0.05)
        return slot

    monkeypatch.setattr(services, "validate_slot", slow_validate)
    barrier = threading.Barrier(len(learners))
    results, lock = [], threading.Lock()

    def attempt(learner):
        try:
            barrier.wait()
            hold(learner, expert)
            outcome = ("ok", None)
        except SlotTaken as taken:
            outcome = ("taken", taken.code)
        except Exception as error:  # a server error would be a failure of the promise
            outcome = ("error", repr(error))
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=attempt, args=(learner,)) for learner in learners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return (
        sum(1 for kind, _ in results if kind == "ok"),
        sorted(code for kind, code in results if kind == "taken"),
        [code for kind, code in results if kind == "error"],
    )


@pytest.mark.race
def test_parallel_holds_on_one_slot_exactly_one_wins(committed_people, monkeypatch):
    expert, learners = committed_people
    wins, refusals, errors = race(expert, learners, monkeypatch)
    assert Booking.objects.filter(expert=expert, status=Booking.Status.HELD).count() == 1
    assert errors == []
    assert wins == 1
    # Every loser was turned away by the recheck under the lock, with the clear message.
    assert refusals == ["taken"] * (len(learners) - 1)


@pytest.mark.race
def test_control_without_the_lock_the_race_reaches_the_database(committed_people, monkeypatch, settings):
    settings.BOOKING_HOLD_LOCKING = False
    expert, learners = committed_people
    wins, refusals, errors = race(expert, learners, monkeypatch, all_check_before_any_insert=True)
    assert Booking.objects.filter(expert=expert, status=Booking.Status.HELD).count() == 1
    assert errors == [] and wins == 1
    # Without the lock every request passes the check before any inserts; only the
    # exclusion constraint stops the other 23. This proves the test above can fail.
    assert refusals == ["taken_by_constraint"] * (len(learners) - 1)


@pytest.mark.parametrize("minutes", [0, 20, 24 * 60 + 1])
def test_no_session_length_outside_the_offered_ones_can_exist_so_none_can_be_held(people, minutes):
    # Holds take their length from the session type; the database refuses any other length.
    _, _, expert = people
    with pytest.raises(IntegrityError, match="marketplace_duration_allowed"), transaction.atomic():
        SessionType.objects.create(
            profile=expert.expert_profile, duration_minutes=minutes, price_minor=100, currency="EUR"
        )


def test_the_busy_window_still_sees_the_longest_booking_that_began_before_it(people):
    # The overlap search bounds ``start`` from below by Booking.MAX_LENGTH (so the indexes read only
    # the window): a booking of the maximum length that began just inside that bound still counts.
    learner, other, expert = people
    begin = SLOT
    long_one = Booking.objects.create(
        learner=other,
        expert=expert,
        start=begin - Booking.MAX_LENGTH + timedelta(minutes=30),
        end=begin + timedelta(minutes=30),
        status=Booking.Status.CONFIRMED,
        amount_minor=0,
        currency="EUR",
    )
    busy = hold_busy_times(expert_id=expert.pk, learner_id=learner.pk, begin=begin, end=begin + HOUR, now=NOW)
    assert [(item.start, item.end) for item in busy.bookings] == [(long_one.start, long_one.end)]
    assert (busy.holds, busy.learner_sessions, busy.lapsed) == ([], [], 0)


def test_a_fourth_hold_lets_go_of_the_learners_oldest(people, settings):
    learner, rival, expert = people
    assert settings.BOOKING_MAX_LIVE_HOLDS == 3
    starts = [SLOT, SLOT + 2 * HOUR, SLOT + 4 * HOUR, SLOT + timedelta(days=1)]
    first, second, third = (hold(learner, expert, start=start) for start in starts[:3])
    assert Booking.objects.filter(learner=learner, status=Booking.Status.HELD).count() == 3
    fourth = hold(learner, expert, start=starts[3])
    statuses = dict(Booking.objects.values_list("pk", "status"))
    assert statuses == {
        first.pk: Booking.Status.EXPIRED,  # the oldest went
        second.pk: Booking.Status.HELD,
        third.pk: Booking.Status.HELD,
        fourth.pk: Booking.Status.HELD,
    }
    # Its time is free for anyone at once, and other learners' holds are untouched.
    assert hold(rival, expert, start=SLOT).status == Booking.Status.HELD


def test_the_hold_limit_is_a_setting(people, settings):
    learner, _, expert = people
    settings.BOOKING_MAX_LIVE_HOLDS = 1
    first = hold(learner, expert, start=SLOT)
    second = hold(learner, expert, start=SLOT + 2 * HOUR)
    first.refresh_from_db()
    assert (first.status, second.status) == (Booking.Status.EXPIRED, Booking.Status.HELD)
