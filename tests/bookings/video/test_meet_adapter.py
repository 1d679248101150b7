"""The Google Meet adapter at the HTTP boundary: the refresh-token exchange, the Calendar event
with its conference request, a retry after a lost answer, moves, deletions and failures."""

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import pytest

from bookings.video import MeetingRequest, Room
from bookings.video.http import VideoProviderError
from bookings.video.meet import GoogleMeetProvider, event_id_for

from .payloads import GOOGLE_TOKEN, GOOGLE_TOKEN_REVOKED, google_error, google_event

TOKEN_URL = "https://oauth2.googleapis.com/token"
EVENTS_URL = "https://www.googleapis.com/calendar/v3/calendars/primary/events"
START = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
MEETING = MeetingRequest(ref="booking-1", topic="TapTime session 1", start=START, end=START + timedelta(minutes=60))
EVENT_ID = event_id_for("booking-1")


class Clock:
    now = 1_796_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def meet(google_configured, clock):
    return GoogleMeetProvider(
        client_id=google_configured.VIDEO_GOOGLE_CLIENT_ID,
        client_secret=google_configured.VIDEO_GOOGLE_CLIENT_SECRET,
        refresh_token=google_configured.VIDEO_GOOGLE_REFRESH_TOKEN,
        clock=clock,
    )


def test_the_event_id_is_valid_base32hex_and_the_same_for_the_same_booking():
    assert EVENT_ID == event_id_for("booking-1") != event_id_for("booking-2")
    assert 5 <= len(EVENT_ID) <= 1024 and set(EVENT_ID) <= set("0123456789abcdefghijklmnopqrstuv")


def test_a_meet_room_is_a_private_event_without_attendees_with_a_conference_request(http, meet, clock):
    token = http.post(TOKEN_URL, json=GOOGLE_TOKEN)
    insert = http.post(EVENTS_URL, json=google_event(event_id=EVENT_ID, request_id="booking-1-meet"))
    room = meet.create_meeting(MEETING)
    assert room == Room(url="https://meet.google.com/abc-mnop-xyz", provider="google_meet", room_id=EVENT_ID)
    assert parse_qs(token.calls[0].request.body) == {
        "client_id": ["1234567890-abc.apps.googleusercontent.com"],
        "client_secret": ["GOCSPX-google-client-secret"],
        "refresh_token": ["1//0g-google-refresh-token"],
        "grant_type": ["refresh_token"],
    }
    request = insert.calls[0].request
    assert request.url == f"{EVENTS_URL}?conferenceDataVersion=1"
    assert request.headers["Authorization"] == f"Bearer {GOOGLE_TOKEN['access_token']}"
    body = json.loads(request.body)
    assert body["conferenceData"] == {
        "createRequest": {"requestId": "booking-1-meet", "conferenceSolutionKey": {"type": "hangoutsMeet"}}
    }
    assert body["id"] == EVENT_ID and "attendees" not in body and body["visibility"] == "private"
    assert body["start"] == {"dateTime": "2026-12-07T09:00:00Z", "timeZone": "UTC"}
    assert body["end"] == {"dateTime": "2026-12-07T10:00:00Z", "timeZone": "UTC"}
    # The token is kept until a minute before its hour is up.
    meet.create_meeting(MEETING)
    clock.now += 3599 - 59
    meet.create_meeting(MEETING)
    assert token.call_count == 2


def test_a_retry_after_a_lost_answer_reads_the_event_it_made_instead_of_making_another(http, meet):
    http.post(TOKEN_URL, json=GOOGLE_TOKEN)
    http.post(EVENTS_URL, json=google_error(409, "duplicate", "The requested identifier already exists."), status=409)
    read = http.get(f"{EVENTS_URL}/{EVENT_ID}", json=google_event(event_id=EVENT_ID, request_id="booking-1-meet"))
    assert meet.create_meeting(MEETING).url == "https://meet.google.com/abc-mnop-xyz"
    assert read.call_count == 1


def test_a_conference_still_pending_is_retried_later(http, meet):
    http.post(TOKEN_URL, json=GOOGLE_TOKEN)
    http.post(EVENTS_URL, json=google_event(event_id=EVENT_ID, request_id="booking-1-meet", status="pending"))
    with pytest.raises(VideoProviderError, match="pending") as failed:
        meet.create_meeting(MEETING)
    assert failed.value.retryable


def test_moves_patch_the_times_and_deletions_accept_an_event_already_gone(http, meet):
    http.post(TOKEN_URL, json=GOOGLE_TOKEN)
    patch = http.patch(f"{EVENTS_URL}/{EVENT_ID}", json=google_event(event_id=EVENT_ID, request_id="r"))
    later = MeetingRequest(ref="booking-1", topic="x", start=START + timedelta(hours=2), end=START + timedelta(hours=3))
    meet.update_meeting(EVENT_ID, later)
    assert json.loads(patch.calls[0].request.body) == {
        "start": {"dateTime": "2026-12-07T11:00:00Z", "timeZone": "UTC"},
        "end": {"dateTime": "2026-12-07T12:00:00Z", "timeZone": "UTC"},
    }
    deleted = http.delete(f"{EVENTS_URL}/{EVENT_ID}", status=204)
    gone = http.delete(
        f"{EVENTS_URL}/{EVENT_ID}", json=google_error(410, "deleted", "Resource has been deleted"), status=410
    )
    meet.delete_meeting(EVENT_ID)
    meet.delete_meeting(EVENT_ID)
    assert (deleted.call_count, gone.call_count) == (1, 1)


def test_a_revoked_refresh_token_is_a_failure_retries_cannot_fix(http, meet):
    http.post(TOKEN_URL, json=GOOGLE_TOKEN_REVOKED, status=400)
    with pytest.raises(VideoProviderError) as failed:
        meet.create_meeting(MEETING)
    assert failed.value.status == 400 and not failed.value.retryable
    assert "GOCSPX" not in str(failed.value) and "1//0g" not in str(failed.value)


@pytest.mark.parametrize(
    ("status", "reason", "headers", "retryable", "retry_after"),
    [
        (429, "rateLimitExceeded", {"Retry-After": "30"}, True, 30.0),
        (403, "userRateLimitExceeded", {}, True, None),
        (403, "forbiddenForNonOrganizer", {}, False, None),
        (500, "backendError", {}, True, None),
        (404, "notFound", {}, False, None),
    ],
)
def test_calendar_failures_say_whether_a_retry_can_help(http, meet, status, reason, headers, retryable, retry_after):
    http.post(TOKEN_URL, json=GOOGLE_TOKEN)
    http.post(EVENTS_URL, json=google_error(status, reason, "Calendar said no"), status=status, headers=headers)
    with pytest.raises(VideoProviderError) as failed:
        meet.create_meeting(MEETING)
    assert (failed.value.retryable, failed.value.retry_after) == (retryable, retry_after)


def test_an_expired_access_token_is_replaced_once(http, meet):
    first = http.post(TOKEN_URL, json=GOOGLE_TOKEN)
    http.post(TOKEN_URL, json={**GOOGLE_TOKEN, "access_token": "ya29.second"})
    refused = http.post(EVENTS_URL, json=google_error(401, "authError", "Invalid Credentials"), status=401)
    made = http.post(EVENTS_URL, json=google_event(event_id=EVENT_ID, request_id="booking-1-meet"))
    assert meet.create_meeting(MEETING).room_id == EVENT_ID
    assert first.call_count == 1 and refused.call_count == 1
    assert made.calls[0].request.headers["Authorization"] == "Bearer ya29.second"
