"""The Zoom adapter at the HTTP boundary: the token it asks for and keeps, the meetings it makes,
moves and deletes, and how each kind of failure comes back."""

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
import requests
import responses

from bookings.video import MeetingRequest, Room, provider_by_name
from bookings.video.http import VideoProviderError
from bookings.video.zoom import ZoomProvider

from .payloads import (
    ZOOM_BAD_REQUEST,
    ZOOM_INVALID_TOKEN,
    ZOOM_MEETING,
    ZOOM_MEETING_FRESH_HOST,
    ZOOM_NO_MEETING,
    ZOOM_RATE_LIMITED,
    ZOOM_TOKEN,
    ZOOM_TOKEN_2,
)

TOKEN_URL = "https://zoom.us/oauth/token"
MEETINGS_URL = "https://api.zoom.us/v2/users/me/meetings"
MEETING_URL = "https://api.zoom.us/v2/meetings/85746065432"
START = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
MEETING = MeetingRequest(ref="booking-1", topic="TapTime session 1", start=START, end=START + timedelta(minutes=60))


class Clock:
    def __init__(self, now: float = 1_796_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def zoom(zoom_configured, clock):
    return ZoomProvider(
        account_id=zoom_configured.VIDEO_ZOOM_ACCOUNT_ID,
        client_id=zoom_configured.VIDEO_ZOOM_CLIENT_ID,
        client_secret=zoom_configured.VIDEO_ZOOM_CLIENT_SECRET,
        clock=clock,
    )


def test_the_token_is_asked_for_with_basic_auth_and_kept_until_just_before_it_expires(http, zoom, clock):
    token_call = http.post(TOKEN_URL, json=ZOOM_TOKEN)
    create = http.post(MEETINGS_URL, json=ZOOM_MEETING, status=201)
    zoom.create_meeting(MEETING)
    zoom.create_meeting(MEETING)
    assert token_call.call_count == 1 and create.call_count == 2
    request = token_call.calls[0].request
    assert request.url == f"{TOKEN_URL}?grant_type=account_credentials&account_id=gYz8S9w5Q5yrDoIvmdClYw"
    expected = base64.b64encode(b"zoomclientid123:zoom-client-secret-for-tests").decode()
    assert request.headers["Authorization"] == f"Basic {expected}"
    assert create.calls[1].request.headers["Authorization"] == f"Bearer {ZOOM_TOKEN['access_token']}"

    clock.now += 3599 - 61  # still more than a minute left: kept
    zoom.create_meeting(MEETING)
    assert token_call.call_count == 1
    clock.now += 2  # within the last minute: a new one
    http.replace(responses.POST, TOKEN_URL, json=ZOOM_TOKEN_2)
    zoom.create_meeting(MEETING)
    assert create.calls[-1].request.headers["Authorization"] == f"Bearer {ZOOM_TOKEN_2['access_token']}"


def test_the_token_is_shared_between_adapter_instances_through_the_cache(http, zoom_configured):
    token_call = http.post(TOKEN_URL, json=ZOOM_TOKEN)
    http.post(MEETINGS_URL, json=ZOOM_MEETING, status=201)
    provider_by_name("zoom").create_meeting(MEETING)
    provider_by_name("zoom").create_meeting(MEETING)
    assert token_call.call_count == 1


def test_a_meeting_is_a_scheduled_utc_meeting_with_a_waiting_room_and_no_recording(http, zoom):
    http.post(TOKEN_URL, json=ZOOM_TOKEN)
    create = http.post(MEETINGS_URL, json=ZOOM_MEETING, status=201)
    room = zoom.create_meeting(MEETING)
    assert room == Room(url=ZOOM_MEETING["join_url"], provider="zoom", room_id="85746065432")
    sent = json.loads(create.calls[0].request.body)
    assert sent == {
        "topic": "TapTime session 1",
        "type": 2,
        "start_time": "2026-12-07T09:00:00Z",
        "duration": 60,
        "timezone": "UTC",
        "settings": {
            "waiting_room": True,
            "join_before_host": False,
            "auto_recording": "none",
            "host_video": True,
            "participant_video": True,
            "mute_upon_entry": False,
        },
    }


def test_a_move_patches_the_schedule_and_a_deletion_accepts_a_meeting_already_gone(http, zoom):
    http.post(TOKEN_URL, json=ZOOM_TOKEN)
    patch = http.patch(MEETING_URL, status=204)
    later = MeetingRequest(
        ref="booking-1", topic="x", start=START + timedelta(days=1), end=START + timedelta(days=1, minutes=45)
    )
    zoom.update_meeting("85746065432", later)
    assert json.loads(patch.calls[0].request.body) == {
        "start_time": "2026-12-08T09:00:00Z",
        "duration": 45,
        "timezone": "UTC",
    }
    deleted = http.delete(MEETING_URL, status=204)
    gone = http.delete(MEETING_URL, json=ZOOM_NO_MEETING, status=404)
    zoom.delete_meeting("85746065432")
    zoom.delete_meeting("85746065432")  # gone already: no error
    assert (deleted.call_count, gone.call_count) == (1, 1)
    http.delete(f"{MEETING_URL}1", json=ZOOM_BAD_REQUEST, status=400)
    with pytest.raises(VideoProviderError):
        zoom.delete_meeting("857460654321")


def test_the_host_link_is_fetched_fresh(http, zoom):
    http.post(TOKEN_URL, json=ZOOM_TOKEN)
    http.get(MEETING_URL, json=ZOOM_MEETING_FRESH_HOST)
    assert zoom.host_url("85746065432") == ZOOM_MEETING_FRESH_HOST["start_url"]


def test_a_refused_token_is_fetched_again_once_then_the_call_fails_for_good(http, zoom):
    token_call = http.post(TOKEN_URL, json=ZOOM_TOKEN)
    http.post(MEETINGS_URL, json=ZOOM_INVALID_TOKEN, status=401)
    with pytest.raises(VideoProviderError) as refused:
        zoom.create_meeting(MEETING)
    assert token_call.call_count == 2
    assert refused.value.status == 401 and not refused.value.retryable


def test_a_revoked_token_is_replaced_and_the_call_goes_through(http, zoom):
    first_token = http.post(TOKEN_URL, json=ZOOM_TOKEN)
    second_token = http.post(TOKEN_URL, json=ZOOM_TOKEN_2)
    refused = http.post(MEETINGS_URL, json=ZOOM_INVALID_TOKEN, status=401)
    made = http.post(MEETINGS_URL, json=ZOOM_MEETING, status=201)
    room = zoom.create_meeting(MEETING)
    assert room.room_id == "85746065432"
    assert (first_token.call_count, second_token.call_count) == (1, 1)
    assert refused.calls[0].request.headers["Authorization"] == f"Bearer {ZOOM_TOKEN['access_token']}"
    assert made.calls[0].request.headers["Authorization"] == f"Bearer {ZOOM_TOKEN_2['access_token']}"


@pytest.mark.parametrize(
    ("status", "body", "headers", "retryable", "retry_after"),
    [
        (429, ZOOM_RATE_LIMITED, {"Retry-After": "120"}, True, 120.0),
        (429, ZOOM_RATE_LIMITED, {}, True, None),
        (500, {"code": 500, "message": "Internal server error"}, {}, True, None),
        (503, None, {}, True, None),
        (400, ZOOM_BAD_REQUEST, {}, False, None),
    ],
)
def test_provider_failures_say_whether_a_retry_can_help(http, zoom, status, body, headers, retryable, retry_after):
    http.post(TOKEN_URL, json=ZOOM_TOKEN)
    if body is None:
        http.post(MEETINGS_URL, body="<html>Service Unavailable</html>", status=status, headers=headers)
    else:
        http.post(MEETINGS_URL, json=body, status=status, headers=headers)
    with pytest.raises(VideoProviderError) as failed:
        zoom.create_meeting(MEETING)
    assert (failed.value.status, failed.value.retryable, failed.value.retry_after) == (status, retryable, retry_after)


def test_an_unreachable_zoom_is_a_retryable_failure_and_leaks_no_secret(http, zoom):
    http.post(TOKEN_URL, body=requests.ConnectionError("connection refused"))
    with pytest.raises(VideoProviderError) as failed:
        zoom.create_meeting(MEETING)
    assert failed.value.retryable and "zoom-client-secret" not in str(failed.value)


def test_wrong_credentials_at_the_token_endpoint_are_not_retried(http, zoom):
    http.post(TOKEN_URL, json={"reason": "Invalid client_id or client_secret", "error": "invalid_client"}, status=400)
    with pytest.raises(VideoProviderError) as failed:
        zoom.create_meeting(MEETING)
    assert failed.value.status == 400 and not failed.value.retryable


def test_a_token_answer_without_a_token_is_refused(http, zoom):
    http.post(TOKEN_URL, json={"token_type": "bearer", "expires_in": 3599})
    with pytest.raises(VideoProviderError):
        zoom.create_meeting(MEETING)


def test_zoom_is_not_offered_without_all_its_credentials(settings):
    settings.VIDEO_ZOOM_ACCOUNT_ID = "acc"
    settings.VIDEO_ZOOM_CLIENT_ID = "id"
    settings.VIDEO_ZOOM_CLIENT_SECRET = ""
    with pytest.raises(ValueError, match="no credentials"):
        provider_by_name("zoom")
