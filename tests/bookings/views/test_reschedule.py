"""/bookings/<id>/reschedule/: the learner picks another free time of the same expert and length; both get
an updated invitation (same UID, higher SEQUENCE); wrong input changes nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from hypothesis import given
from icalendar import Calendar

from bookings.models import Booking
from bookings.services import booking_cancel
from tests.builders import confirmed_booking, held_booking
from tests.factories import UserFactory
from tests.marketplace.factories import next_monday_nine_berlin
from tests.strategies import anything, view_settings

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


@pytest.fixture
def booking(ada, django_capture_on_commit_callbacks, mailoutbox):
    """Grace's confirmed hour with Ada on the next Monday 09:00 Berlin (Ada works Mondays 09:00-12:00)."""
    learner = UserFactory(full_name="Grace Hopper", time_zone="America/New_York")
    with django_capture_on_commit_callbacks(execute=True):
        booked = confirmed_booking(
            learner=learner, session_type=ada.session_types.get(), start=next_monday_nine_berlin()
        )
    mailoutbox.clear()
    return booked


def url(booking):
    return reverse("booking_reschedule", kwargs={"pk": booking.pk})


def move(client, booking, start, capture):
    with capture(execute=True):
        return client.post(url(booking), {"start": start.isoformat(), "week": "0"})


def test_the_learner_sees_the_free_times_and_moves_the_session(
    client, booking, ada, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(booking.learner)
    detail = client.get(reverse("booking_detail", kwargs={"pk": booking.pk})).content.decode()
    assert url(booking) in detail and "Move to another time" in detail
    new_start = booking.start + 2 * HOUR  # 11:00 Berlin
    weeks = [client.get(url(booking), {"week": str(week)}).content.decode() for week in range(2)]
    assert "Move your session" in weeks[0] and "You can move this session 2 more times." in weeks[0]
    # Monday 11:00 Berlin is listed as a button carrying its UTC instant (the week it falls in).
    assert any(f'value="{new_start.isoformat()}"' in page for page in weeks)
    response = move(client, booking, new_start, django_capture_on_commit_callbacks)
    assert response["Location"] == reverse("booking_detail", kwargs={"pk": booking.pk})
    assert "Your session is moved to" in client.get(response["Location"]).content.decode()
    booking.refresh_from_db()
    assert (booking.start, booking.end, booking.reschedule_count, booking.ics_sequence) == (
        new_start,
        new_start + HOUR,
        1,
        1,
    )
    by_recipient = {message.to[0]: message for message in mailoutbox}
    assert set(by_recipient) == {booking.learner.email, ada.user.email}
    assert "You moved your 60-minute session with Ada Lovelace." in by_recipient[booking.learner.email].body
    expert_mail = by_recipient[ada.user.email]
    assert "Grace Hopper moved their 60-minute session with you." in expert_mail.body
    assert "11:00 – 12:00 (Europe/Berlin)" in expert_mail.body and "Session moved to" in expert_mail.subject
    for message in by_recipient.values():
        name, content, mimetype = message.attachments[0]
        calendar = Calendar.from_ical(content)
        event = calendar.walk("VEVENT")[0]
        assert "method=REQUEST" in mimetype and str(calendar["method"]) == "REQUEST"
        assert str(event["uid"]).startswith(f"booking-{booking.pk}@") and int(event["sequence"]) == 1
        assert event.decoded("dtstart") == new_start


def test_a_cancellation_after_a_move_carries_a_higher_sequence_still(
    client, booking, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(booking.learner)
    move(client, booking, booking.start + HOUR, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=booking, by=booking.learner, refunded=True)
    event = Calendar.from_ical(mailoutbox[0].attachments[0][1]).walk("VEVENT")[0]
    assert int(event["sequence"]) == 2


def test_a_taken_time_is_refused_with_the_reason_and_nothing_changes(
    client, booking, ada, django_capture_on_commit_callbacks, mailoutbox
):
    held_booking(learner=UserFactory(), session_type=ada.session_types.get(), start=booking.start + 2 * HOUR)
    client.force_login(booking.learner)
    response = move(client, booking, booking.start + 2 * HOUR, django_capture_on_commit_callbacks)
    assert response["Location"].startswith(url(booking))
    assert "This slot was just taken" in client.get(response["Location"]).content.decode()
    booking.refresh_from_db()
    assert booking.reschedule_count == 0 and booking.start == next_monday_nine_berlin() and not mailoutbox


def test_only_the_learner_reaches_it(client, booking, ada):
    for user in (ada.user, UserFactory()):
        client.force_login(user)
        assert client.get(url(booking)).status_code == 404
        assert client.post(url(booking), {"start": (booking.start + HOUR).isoformat()}).status_code == 404
    client.logout()
    assert client.get(url(booking))["Location"].startswith("/accounts/login/")
    booking.refresh_from_db()
    assert booking.reschedule_count == 0


def test_the_page_says_why_when_it_cannot_move(client, booking, settings):
    settings.BOOKING_MAX_RESCHEDULES = 0
    client.force_login(booking.learner)
    page = client.get(url(booking)).content.decode()
    assert "already been moved 0 times" in page and 'name="start"' not in page
    assert url(booking) not in client.get(reverse("booking_detail", kwargs={"pk": booking.pk})).content.decode()
    assert url(booking) not in client.get(reverse("learner_dashboard")).content.decode()


def test_the_page_query_count_does_not_grow_with_the_calendar(client, booking, ada, django_assert_max_num_queries):
    client.force_login(booking.learner)
    with django_assert_max_num_queries(40) as first:
        client.get(url(booking))
    for hours in (1, 2):
        held_booking(learner=UserFactory(), session_type=ada.session_types.get(), start=booking.start + hours * HOUR)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url(booking))


@view_settings
@given(start=anything, week=anything)
def test_any_garbage_posted_changes_nothing_and_never_errors(client, booking, start, week):
    client.force_login(booking.learner)
    response = client.post(url(booking), {"start": start, "week": week})
    assert response.status_code in (302, 400)
    after = Booking.objects.get(pk=booking.pk)
    assert after.reschedule_count == 0 and after.start == booking.start
    assert client.get(url(booking), {"week": week}).status_code == 200
