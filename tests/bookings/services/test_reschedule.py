"""Moving a confirmed session: the rule, the slot engine's recheck, the limit, and races with holds,
other moves and cancellation."""

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connections

import bookings.services.reschedule as reschedule_service
from bookings.errors import BookingError, SlotTaken
from bookings.models import Booking
from bookings.services import booking_cancel, booking_reschedule
from core.models import OutboxMessage
from tests.builders import bookable_expert, confirmed_booking, held_booking, session_type_of
from tests.concurrency import in_own_connection
from tests.factories import UserFactory

NOW = datetime(2026, 6, 1, 6, tzinfo=UTC)  # a Monday
SLOT = datetime(2026, 6, 3, 8, tzinfo=UTC)  # Wednesday 10:00 in Berlin
HOUR = timedelta(hours=1)


def an_expert():
    """Berlin, Monday to Friday 9:00–17:00, one 60-minute session at EUR 60."""
    return bookable_expert().profile.user


@pytest.fixture
def people(db):
    learner, other, expert = UserFactory(), UserFactory(), an_expert()
    booking = confirmed_booking(learner=learner, session_type=session_type_of(expert), start=SLOT, now=NOW)
    return learner, other, expert, booking


def snapshot(booking):
    booking.refresh_from_db()
    return (booking.start, booking.end, booking.status, booking.reschedule_count, booking.ics_sequence)


def test_a_move_takes_the_new_time_frees_the_old_and_queues_both_updates(people):
    learner, other, expert, booking = people
    moved = booking_reschedule(booking=booking, by=learner, start=SLOT + 2 * HOUR, now=NOW)
    assert snapshot(moved) == (SLOT + 2 * HOUR, SLOT + 3 * HOUR, Booking.Status.CONFIRMED, 1, 1)
    keys = set(OutboxMessage.objects.filter(dedupe_key__contains="-moved-").values_list("dedupe_key", flat=True))
    assert keys == {f"booking-{booking.pk}-moved-1-learner", f"booking-{booking.pk}-moved-1-expert"}
    # The old time is free for anyone now.
    assert held_booking(learner=other, session_type=session_type_of(expert), start=SLOT, now=NOW).start == SLOT


def test_a_move_may_overlap_its_own_old_time(people):
    learner, _, _, booking = people
    moved = booking_reschedule(booking=booking, by=learner, start=SLOT + timedelta(minutes=30), now=NOW)
    assert moved.start == SLOT + timedelta(minutes=30)


@pytest.mark.parametrize(
    ("start", "code"),
    [
        (SLOT - timedelta(days=3), "past"),
        (datetime(2026, 6, 1, 10, tzinfo=UTC), "too_soon"),  # inside the 12 h notice
        (datetime(2026, 6, 6, 8, tzinfo=UTC), "outside_availability"),  # Saturday
        (SLOT + timedelta(minutes=7), "outside_availability"),  # off the 30-minute step
        (SLOT + timedelta(days=90), "too_far"),
        (SLOT, "same_time"),
        (datetime(1, 1, 1, tzinfo=UTC), "invalid"),
        (datetime(2026, 6, 3, 8), "invalid"),  # noqa: DTZ001 - naive on purpose
        ("2026-06-03T10:00:00Z", "invalid"),
    ],
)
def test_a_refused_move_changes_nothing(people, start, code):
    learner, _, _, booking = people
    before = snapshot(booking)
    with pytest.raises(BookingError) as refused:
        booking_reschedule(booking=booking, by=learner, start=start, now=NOW)
    assert refused.value.code == code
    assert snapshot(booking) == before
    assert not OutboxMessage.objects.filter(dedupe_key__contains="-moved-").exists()


def test_a_time_someone_holds_is_refused_and_the_booking_stays_where_it_was(people):
    learner, other, expert, booking = people
    held_booking(learner=other, session_type=session_type_of(expert), start=SLOT + 3 * HOUR, now=NOW)
    before = snapshot(booking)
    with pytest.raises(SlotTaken, match="just taken"):
        booking_reschedule(booking=booking, by=learner, start=SLOT + 3 * HOUR, now=NOW)
    assert snapshot(booking) == before


def test_the_learners_other_session_blocks_the_new_time(people):
    learner, _, _, booking = people
    elsewhere = an_expert()
    confirmed_booking(learner=learner, session_type=session_type_of(elsewhere), start=SLOT + 4 * HOUR, now=NOW)
    with pytest.raises(SlotTaken, match="already have a session"):
        booking_reschedule(booking=booking, by=learner, start=SLOT + 4 * HOUR, now=NOW)


def test_only_the_learner_and_only_so_often_and_only_while_a_cancellation_would_refund_in_full(people, settings):
    learner, other, expert, booking = people
    for user in (expert, other, None):
        with pytest.raises(BookingError, match="Only the learner"):
            booking_reschedule(booking=booking, by=user, start=SLOT + HOUR, now=NOW)
    booking_reschedule(booking=booking, by=learner, start=SLOT + HOUR, now=NOW)
    booking_reschedule(booking=booking, by=learner, start=SLOT + 2 * HOUR, now=NOW)
    with pytest.raises(BookingError, match="already been moved 2 times") as refused:
        booking_reschedule(booking=booking, by=learner, start=SLOT + 3 * HOUR, now=NOW)
    assert refused.value.code == "too_many_moves"
    settings.BOOKING_MAX_RESCHEDULES = 5
    booking.refresh_from_db()
    # 24 hours before the (moved) start is the flexible policy's full-refund deadline.
    late = booking.start - timedelta(hours=23)
    with pytest.raises(BookingError, match="up to 24 hours before") as refused:
        booking_reschedule(booking=booking, by=learner, start=booking.start + 2 * HOUR, now=late)
    assert refused.value.code == "too_late"


def test_a_cancelled_or_cancelling_session_cannot_move(people):
    learner, _, _, booking = people
    Booking.objects.filter(pk=booking.pk).update(refund_minor=3000, cancelling_by="learner")
    with pytest.raises(BookingError, match="Only a confirmed, upcoming session can be moved"):
        booking_reschedule(booking=booking, by=learner, start=SLOT + HOUR, now=NOW)
    Booking.objects.filter(pk=booking.pk).update(refund_minor=None, cancelling_by="")
    booking_cancel(booking=booking, by=learner, now=NOW, refunded=True)
    with pytest.raises(BookingError, match="Only a confirmed"):
        booking_reschedule(booking=booking, by=learner, start=SLOT + HOUR, now=NOW)


# --- Races, on committed rows from their own connections ------------------------------------------


@pytest.fixture
def committed(db):
    def make():
        expert = an_expert()
        learner, rival = UserFactory(), UserFactory()
        booking = confirmed_booking(learner=learner, session_type=session_type_of(expert), start=SLOT, now=NOW)
        return expert, learner, rival, booking

    expert, learner, rival, booking = in_own_connection(make)
    yield expert, learner, rival, booking

    def clean():
        OutboxMessage.objects.filter(dedupe_key__startswith="booking-").delete()
        Booking.objects.filter(expert=expert).delete()
        expert.expert_profile.delete()
        for user in (expert, learner, rival):
            user.emailaddress_set.all().delete()
            user.delete()

    in_own_connection(clean)


def run_together(*calls):
    """Run each call on its own connection at the same moment; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = ("ok", call())
        except BookingError as refused:
            outcomes[index] = ("refused", refused.code)
        except Exception as error:  # anything else would break the promise
            outcomes[index] = ("error", repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


def slowed(monkeypatch):
    """Widen the gap between the recheck and the write, so a missing lock would show."""
    real = reschedule_service.validate_slot

    def slow(**kwargs):
        slot = real(**kwargs)
        time.sleep(0.1)
        return slot

    monkeypatch.setattr(reschedule_service, "validate_slot", slow)


@pytest.mark.race
def test_a_move_and_a_hold_racing_for_one_time_end_with_one_owner(committed, monkeypatch):
    expert, learner, rival, booking = committed
    slowed(monkeypatch)
    target = SLOT + 2 * HOUR
    outcomes = run_together(
        lambda: booking_reschedule(booking=booking, by=learner, start=target, now=NOW),
        lambda: held_booking(learner=rival, session_type=session_type_of(expert), start=target, now=NOW),
    )
    assert [kind for kind, _ in outcomes].count("ok") == 1, outcomes
    assert not [outcome for outcome in outcomes if outcome[0] == "error"]
    at_target = Booking.objects.filter(expert=expert, start=target, status__in=Booking.SLOT_HOLDING)
    assert at_target.count() == 1
    booking.refresh_from_db()
    # A lost move leaves the booking where it was.
    assert booking.start == (target if outcomes[0][0] == "ok" else SLOT)


@pytest.mark.race
def test_two_moves_at_once_of_one_booking_apply_one_after_the_other(committed, monkeypatch):
    expert, learner, rival, booking = committed
    slowed(monkeypatch)
    outcomes = run_together(
        lambda: booking_reschedule(booking=booking, by=learner, start=SLOT + 2 * HOUR, now=NOW),
        lambda: booking_reschedule(booking=booking, by=learner, start=SLOT + 4 * HOUR, now=NOW),
    )
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    booking.refresh_from_db()
    assert booking.reschedule_count == 2 and booking.ics_sequence == 2
    assert booking.start in (SLOT + 2 * HOUR, SLOT + 4 * HOUR)
    # Exactly one time is held: the other move's time was freed again by the second move.
    assert Booking.objects.filter(expert=expert, status__in=Booking.SLOT_HOLDING).count() == 1
    # Only the last move's emails are current; the first's are skipped when they run (older SEQUENCE).
    sequences = sorted(
        OutboxMessage.objects.filter(dedupe_key__startswith=f"booking-{booking.pk}-moved-").values_list(
            "dedupe_key", flat=True
        )
    )
    assert len(sequences) == 4


@pytest.mark.race
def test_a_move_and_a_cancellation_at_once_never_leave_a_moved_session_that_was_refunded(committed, monkeypatch):
    expert, learner, rival, booking = committed
    slowed(monkeypatch)
    outcomes = run_together(
        lambda: booking_reschedule(booking=booking, by=learner, start=SLOT + 2 * HOUR, now=NOW),
        lambda: booking_cancel(booking=booking, by=learner, now=NOW),
    )
    assert not [outcome for outcome in outcomes if outcome[0] == "error"], outcomes
    booking.refresh_from_db()
    # The cancellation always goes through (before or after the move); the session holds no time.
    assert outcomes[1][0] == "ok" and booking.status == Booking.Status.CANCELLED_BY_LEARNER
    assert not Booking.objects.filter(expert=expert, status__in=Booking.SLOT_HOLDING).exists()
