"""Connected calendars: sessions written, moved and deleted through the outbox; failures visible.

Busy times read from them are in ``test_busy_sync.py``."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import responses
from django.utils.module_loading import import_string

from bookings.calendars import CalendarSyncError, Tokens
from bookings.calendars.google import event_id_for
from bookings.models import Booking, ConnectedCalendar, ConnectedCalendarEvent
from bookings.services import booking_cancel, booking_reschedule
from bookings.services.connected_calendars import connected_calendar_save
from core.models import OutboxMessage
from core.outbox import _retry_delay
from tests.builders import bookable_expert, confirmed_booking, session_type_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 6, tzinfo=UTC)  # a Monday
SLOT = datetime(2026, 6, 3, 8, tzinfo=UTC)
HOUR = timedelta(hours=1)
HANDLER = "bookings.tasks.sync_connected_calendars"
GOOGLE_API = "https://www.googleapis.com/calendar/v3"
EVENTS = f"{GOOGLE_API}/calendars/primary/events"
GOOGLE_TOKEN = "https://oauth2.googleapis.com/token"


@pytest.fixture
def configured(settings):
    settings.CALENDAR_GOOGLE_CLIENT_ID = "cid.apps.googleusercontent.com"
    settings.CALENDAR_GOOGLE_CLIENT_SECRET = "GOCSPX-secret"
    settings.CALENDAR_MICROSOFT_CLIENT_ID = "00000000-0000-0000-0000-000000000000"
    settings.CALENDAR_MICROSOFT_CLIENT_SECRET = "ms-secret"


@pytest.fixture
def expert(db):
    return bookable_expert().profile.user


def connect(expert, *, provider="google", minutes=60, email="expert@gmail.example", calendar_id=""):
    tokens = Tokens("ya29.live", "1//refresh", datetime.now(UTC) + timedelta(minutes=minutes))
    return connected_calendar_save(
        expert=expert, provider=provider, account_email=email, tokens=tokens, calendar_id=calendar_id
    )


def run_calendar_jobs():
    """Run the queued calendar jobs once each (the outbox's other work is not under test here)."""
    results = []
    for message in OutboxMessage.objects.filter(handler=HANDLER, status=OutboxMessage.Status.PENDING):
        results.append(import_string(message.handler)(**message.payload))
        message.status = OutboxMessage.Status.DONE
        message.save(update_fields=["status"])
    return results


def test_tokens_are_encrypted_at_rest(expert):
    connection = connect(expert)
    connection.refresh_from_db()
    assert "ya29.live" not in connection.access_token and "1//refresh" not in connection.refresh_token
    assert connection.access_token.startswith("fernet:")


def test_no_job_is_queued_for_an_expert_without_a_connected_calendar(expert):
    confirmed_booking(learner=UserFactory(), session_type=session_type_of(expert), start=SLOT, now=NOW)
    assert not OutboxMessage.objects.filter(handler=HANDLER).exists()


@responses.activate
def test_a_confirmed_session_is_written_then_moved_then_deleted(expert, configured):
    connection = connect(expert)
    learner = UserFactory(full_name="Lena Learner", email="lena@example.org")
    booking = confirmed_booking(learner=learner, session_type=session_type_of(expert), start=SLOT, now=NOW)
    event_id = event_id_for(booking.reference)
    responses.post(EVENTS, json={"kind": "calendar#event", "id": event_id})
    assert run_calendar_jobs() == [{connection.pk: "created"}]
    body = json.loads(responses.calls[0].request.body)
    assert body["summary"] == "TapTime session with Lena Learner"
    assert learner.email not in responses.calls[0].request.body.decode()
    assert ConnectedCalendarEvent.objects.get(connection=connection, booking=booking).event_id == event_id

    responses.patch(f"{EVENTS}/{event_id}", json={"id": event_id})
    booking_reschedule(booking=booking, by=learner, start=SLOT + 2 * HOUR, now=NOW)
    assert run_calendar_jobs() == [{connection.pk: "updated"}]
    assert json.loads(responses.calls[1].request.body)["start"]["dateTime"] == "2026-06-03T10:00:00Z"

    responses.delete(f"{EVENTS}/{event_id}", status=204)
    booking_cancel(booking=Booking.objects.get(pk=booking.pk), by=learner, now=NOW)
    assert run_calendar_jobs() == [{connection.pk: "deleted"}]
    assert not ConnectedCalendarEvent.objects.exists()
    connection.refresh_from_db()
    assert connection.last_synced_at is not None and connection.last_error == ""


@responses.activate
def test_revoked_access_marks_the_connection_broken_in_plain_words_and_is_not_retried(expert, configured):
    connection = connect(expert, minutes=-5)  # expired: the job refreshes first
    responses.post(
        GOOGLE_TOKEN,
        status=400,
        json={"error": "invalid_grant", "error_description": "Token has been expired or revoked."},
    )
    confirmed_booking(learner=UserFactory(), session_type=session_type_of(expert), start=SLOT, now=NOW)
    assert run_calendar_jobs() == [{connection.pk: "failed"}]  # returned, not raised: the outbox is done with it
    connection.refresh_from_db()
    assert connection.status == ConnectedCalendar.Status.BROKEN
    assert connection.last_error.startswith("TapTime may no longer use this calendar")
    assert connection.failures_in_a_row == 1


@responses.activate
def test_a_rate_limit_is_retried_by_the_outbox_after_retry_after(expert, configured):
    connection = connect(expert)
    responses.post(EVENTS, status=429, headers={"Retry-After": "600"}, json={"error": {"code": 429}})
    confirmed_booking(learner=UserFactory(), session_type=session_type_of(expert), start=SLOT, now=NOW)
    with pytest.raises(CalendarSyncError) as caught:
        run_calendar_jobs()
    assert _retry_delay(caught.value, attempts=1) == timedelta(seconds=600)
    connection.refresh_from_db()
    assert connection.status == ConnectedCalendar.Status.ACTIVE
    assert "will try again" in connection.last_error
