"""The expert proposes another time; the learner accepts (it moves, rechecked) or declines (nothing changes),
and may cancel with a full refund while the proposal stands."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connections
from django.urls import reverse
from hypothesis import given
from icalendar import Calendar

from bookings.errors import BookingError, SlotTaken
from bookings.models import Booking, MoveProposal
from bookings.policy import booking_refund_quote
from bookings.selectors.proposals import booking_expert_asked_to_move
from bookings.services import (
    booking_cancel,
    booking_move_accept,
    booking_move_decline,
    booking_move_propose,
)
from core.models import OutboxMessage
from tests.builders import bookable_expert, confirmed_booking, held_booking, session_type_of
from tests.concurrency import in_own_connection
from tests.factories import UserFactory
from tests.marketplace.factories import next_monday_nine_berlin
from tests.strategies import anything, view_settings

NOW = datetime(2026, 6, 1, 6, tzinfo=UTC)  # a Monday
SLOT = datetime(2026, 6, 3, 8, tzinfo=UTC)  # Wednesday 10:00 in Berlin
HOUR = timedelta(hours=1)


@pytest.fixture
def people(db):
    learner, expert = UserFactory(), bookable_expert().profile.user
    booking = confirmed_booking(learner=learner, session_type=session_type_of(expert), start=SLOT, now=NOW)
    return learner, expert, booking


def state(booking):
    booking.refresh_from_db()
    return booking.start, booking.reschedule_count, booking.ics_sequence


def test_accepting_moves_the_session_without_counting_a_learners_move(people):
    learner, expert, booking = people
    proposal = booking_move_propose(booking=booking, by=expert, start=SLOT + 3 * HOUR, now=NOW)
    assert state(booking) == (SLOT, 0, 0)  # a proposal holds nothing and changes nothing
    booking_move_accept(booking=booking, by=learner, proposal_id=proposal.pk, now=NOW)
    assert state(booking) == (SLOT + 3 * HOUR, 0, 1)
    proposal.refresh_from_db()
    assert proposal.status == MoveProposal.Status.ACCEPTED
    assert OutboxMessage.objects.filter(dedupe_key__startswith=f"booking-{booking.pk}-moved-1-").count() == 2


def test_declining_changes_nothing_and_tells_the_expert(people):
    learner, expert, booking = people
    proposal = booking_move_propose(booking=booking, by=expert, start=SLOT + 3 * HOUR, now=NOW)
    booking_move_decline(booking=booking, by=learner, proposal_id=proposal.pk, now=NOW)
    assert state(booking) == (SLOT, 0, 0)
    assert OutboxMessage.objects.filter(dedupe_key=f"proposal-{proposal.pk}-declined").exists()
    with pytest.raises(BookingError, match="no longer open"):
        booking_move_accept(booking=booking, by=learner, proposal_id=proposal.pk, now=NOW)


def test_while_the_expert_asks_to_move_the_learner_cancels_for_a_full_refund(people):
    learner, expert, booking = people
    late = SLOT - 10 * HOUR  # the flexible policy would give back half
    assert booking_refund_quote(booking=booking, now=late).percent == 50
    booking_move_propose(booking=booking, by=expert, start=SLOT + 3 * HOUR, now=NOW)
    assert booking_expert_asked_to_move(booking=booking)
    assert booking_refund_quote(booking=booking, now=late, expert_asked_to_move=True).percent == 100


def test_a_newer_proposal_replaces_the_open_one(people):
    learner, expert, booking = people
    first = booking_move_propose(booking=booking, by=expert, start=SLOT + 3 * HOUR, now=NOW)
    second = booking_move_propose(booking=booking, by=expert, start=SLOT + 4 * HOUR, now=NOW)
    first.refresh_from_db()
    assert first.status == MoveProposal.Status.WITHDRAWN and second.status == MoveProposal.Status.OPEN
    with pytest.raises(BookingError, match="no longer open"):
        booking_move_accept(booking=booking, by=learner, proposal_id=first.pk, now=NOW)


def test_a_time_taken_meanwhile_lapses_the_proposal_and_the_session_stays(people):
    learner, expert, booking = people
    proposal = booking_move_propose(booking=booking, by=expert, start=SLOT + 3 * HOUR, now=NOW)
    held_booking(learner=UserFactory(), session_type=session_type_of(expert), start=SLOT + 3 * HOUR, now=NOW)
    with pytest.raises(BookingError, match="no longer free") as refused:
        booking_move_accept(booking=booking, by=learner, proposal_id=proposal.pk, now=NOW)
    assert refused.value.code == "proposal_lapsed"
    proposal.refresh_from_db()
    assert proposal.status == MoveProposal.Status.LAPSED and state(booking) == (SLOT, 0, 0)


@pytest.mark.parametrize(
    ("who", "start", "error"),
    [
        ("learner", SLOT + 3 * HOUR, "Only the expert"),
        ("other", SLOT + 3 * HOUR, "Only the expert"),
        ("expert", SLOT, "already at that time"),
        ("expert", datetime(2026, 6, 6, 8, tzinfo=UTC), "not available"),
        ("expert", SLOT - timedelta(days=3), "already passed"),
        ("expert", "tomorrow", "valid time"),
    ],
)
def test_a_wrong_proposal_is_refused_and_nothing_is_stored(people, who, start, error):
    learner, expert, booking = people
    by = {"learner": learner, "expert": expert, "other": UserFactory()}[who]
    with pytest.raises(BookingError, match=error):
        booking_move_propose(booking=booking, by=by, start=start, now=NOW)
    assert not MoveProposal.objects.exists()


def test_only_the_learner_answers(people):
    learner, expert, booking = people
    proposal = booking_move_propose(booking=booking, by=expert, start=SLOT + 3 * HOUR, now=NOW)
    for user in (expert, UserFactory()):
        with pytest.raises(BookingError, match="Only the learner"):
            booking_move_accept(booking=booking, by=user, proposal_id=proposal.pk, now=NOW)
        with pytest.raises(BookingError, match="Only the learner"):
            booking_move_decline(booking=booking, by=user, proposal_id=proposal.pk, now=NOW)
    proposal.refresh_from_db()
    assert proposal.status == MoveProposal.Status.OPEN


def test_a_cancelled_session_cannot_accept(people):
    learner, expert, booking = people
    proposal = booking_move_propose(booking=booking, by=expert, start=SLOT + 3 * HOUR, now=NOW)
    booking_cancel(booking=booking, by=learner, now=NOW)
    with pytest.raises(BookingError, match="Only a confirmed"):
        booking_move_accept(booking=booking, by=learner, proposal_id=proposal.pk, now=NOW)
    assert Booking.objects.get(pk=booking.pk).start == SLOT


# --- accept and cancel at once ---------------------------------------------------------------


@pytest.fixture
def committed(db):
    def make():
        expert = bookable_expert().profile.user
        learner = UserFactory()
        booking = confirmed_booking(learner=learner, session_type=session_type_of(expert), start=SLOT, now=NOW)
        proposal = booking_move_propose(booking=booking, by=expert, start=SLOT + 3 * HOUR, now=NOW)
        return expert, learner, booking, proposal

    expert, learner, booking, proposal = in_own_connection(make)
    yield learner, booking, proposal

    def clean():
        OutboxMessage.objects.filter(dedupe_key__startswith="booking-").delete()
        OutboxMessage.objects.filter(dedupe_key__startswith="proposal-").delete()
        Booking.objects.filter(expert=expert).delete()
        expert.expert_profile.delete()
        for user in (expert, learner):
            user.emailaddress_set.all().delete()
            user.delete()

    in_own_connection(clean)


@pytest.mark.race
def test_accepting_and_cancelling_at_once_never_leave_a_moved_cancelled_mix(committed):
    learner, booking, proposal = committed
    barrier = threading.Barrier(2)
    outcomes = {}

    def run(name, call):
        try:
            barrier.wait()
            call()
            outcomes[name] = "ok"
        except (BookingError, SlotTaken) as refused:
            outcomes[name] = refused.code
        except Exception as error:
            outcomes[name] = repr(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(
            target=run,
            args=("accept", lambda: booking_move_accept(booking=booking, by=learner, proposal_id=proposal.pk, now=NOW)),
        ),
        threading.Thread(target=run, args=("cancel", lambda: booking_cancel(booking=booking, by=learner, now=NOW))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert outcomes["cancel"] == "ok", outcomes
    assert outcomes["accept"] in ("ok", "not_confirmed"), outcomes
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED_BY_LEARNER
    assert not Booking.objects.filter(expert=booking.expert, status__in=Booking.SLOT_HOLDING).exists()


# --- the screens -------------------------------------------------------------------------------


@pytest.fixture
def web_booking(ada, django_capture_on_commit_callbacks):
    learner = UserFactory(full_name="Grace Hopper", time_zone="America/New_York")
    with django_capture_on_commit_callbacks(execute=True):
        return confirmed_booking(learner=learner, session_type=ada.session_types.get(), start=next_monday_nine_berlin())


@pytest.mark.django_db
def test_the_expert_proposes_on_screen_and_the_learner_accepts_by_email_link(
    client, web_booking, ada, django_capture_on_commit_callbacks, mailoutbox
):
    mailoutbox.clear()
    client.force_login(ada.user)
    detail = client.get(reverse("booking_detail", kwargs={"pk": web_booking.pk})).content.decode()
    propose_url = reverse("booking_propose_time", kwargs={"pk": web_booking.pk})
    assert propose_url in detail
    new_start = web_booking.start + 2 * HOUR
    pages = [client.get(propose_url, {"week": str(week)}).content.decode() for week in range(2)]
    assert any(f'value="{new_start.isoformat()}"' in page for page in pages)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(propose_url, {"start": new_start.isoformat(), "week": "0"})
    assert response["Location"] == reverse("booking_detail", kwargs={"pk": web_booking.pk})
    [invitation] = mailoutbox
    answer_url = reverse("booking_proposal", kwargs={"pk": web_booking.pk})
    assert invitation.to == [web_booking.learner.email] and answer_url in invitation.body
    assert "Ada Lovelace asks to move your 60-minute session" in invitation.body

    mailoutbox.clear()
    client.force_login(web_booking.learner)
    page = client.get(answer_url).content.decode()
    assert "Accept the new time" in page and "Cancel with a full refund" in page
    proposal = MoveProposal.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(answer_url, {"proposal": str(proposal.pk), "answer": "accept"})
    web_booking.refresh_from_db()
    assert web_booking.start == new_start
    assert len(mailoutbox) == 2
    event = Calendar.from_ical(mailoutbox[0].attachments[0][1]).walk("VEVENT")[0]
    assert int(event["sequence"]) == 1


@pytest.mark.django_db
def test_the_screens_refuse_strangers(client, web_booking, ada):
    for name, allowed in (("booking_propose_time", ada.user), ("booking_proposal", web_booking.learner)):
        url = reverse(name, kwargs={"pk": web_booking.pk})
        for user in (UserFactory(), ada.user if allowed != ada.user else web_booking.learner):
            client.force_login(user)
            assert client.get(url).status_code == 404
            assert client.post(url, {"start": "x", "answer": "accept", "proposal": "1"}).status_code == 404


@view_settings
@given(answer=anything, proposal=anything, start=anything)
def test_garbage_answers_and_proposals_change_nothing(client, web_booking, ada, answer, proposal, start):
    client.force_login(web_booking.learner)
    response = client.post(
        reverse("booking_proposal", kwargs={"pk": web_booking.pk}), {"answer": answer, "proposal": proposal}
    )
    assert response.status_code in (302, 400)
    client.force_login(ada.user)
    response = client.post(reverse("booking_propose_time", kwargs={"pk": web_booking.pk}), {"start": start})
    assert response.status_code in (302, 400)
    assert Booking.objects.get(pk=web_booking.pk).start == web_booking.start
