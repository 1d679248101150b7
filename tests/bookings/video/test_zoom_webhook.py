"""POST /webhooks/zoom/: only signed, recent deliveries count; each event about a booking's meeting is
stored once; nothing else is stored, and no request ends in a 500."""

import hashlib
import hmac
import json
import logging
import time
from datetime import UTC, datetime, timedelta

import pytest
import responses
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from responses import matchers

from bookings.models import ProviderEvent
from tests.builders import booking_in_state
from tests.factories import ExpertUserFactory, UserFactory

from .payloads import zoom_participant_event, zoom_recording_completed

pytestmark = pytest.mark.django_db

URL = "/webhooks/zoom/"
SECRET = "zoom-webhook-secret-token"
MEETING_ID = 85746065432


def signed(body: bytes, *, secret: str = SECRET, at: float | None = None) -> dict:
    stamp = str(int(at if at is not None else time.time()))
    digest = hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"HTTP_X_ZM_REQUEST_TIMESTAMP": stamp, "HTTP_X_ZM_SIGNATURE": f"v0={digest}"}


def deliver(client, event, **signing):
    body = event if isinstance(event, bytes) else json.dumps(event).encode()
    return client.post(URL, body, content_type="application/json", **signed(body, **signing))


@pytest.fixture
def zoom_session(zoom_configured):
    start = (timezone.now() + timedelta(minutes=5)).replace(microsecond=0)
    return booking_in_state(
        learner=UserFactory(full_name="Lena Learner", email="lena@example.com"),
        expert=ExpertUserFactory(),
        start=start,
        video_url="https://us05web.zoom.us/j/85746065432?pwd=Rk1RbGtnb3Y2c0FCK0xyRlhTdz09",
        video_provider="zoom",
        video_meeting_id=str(MEETING_ID),
    )


JOINED = zoom_participant_event("meeting.participant_joined", meeting_id=MEETING_ID, at="2026-12-07T09:01:02Z")
LEFT = zoom_participant_event("meeting.participant_left", meeting_id=MEETING_ID, at="2026-12-07T09:59:30Z")


def test_a_participant_joining_and_leaving_is_recorded_for_the_booking(client, zoom_session):
    assert deliver(client, JOINED).status_code == 200
    assert deliver(client, LEFT).status_code == 200
    joined, left = ProviderEvent.objects.order_by("at")
    assert (joined.booking_id, joined.provider, joined.event) == (zoom_session.pk, "zoom", "meeting.participant_joined")
    assert (joined.participant_email, joined.participant_name) == ("lena@example.com", "Lena Learner")
    assert joined.at == datetime(2026, 12, 7, 9, 1, 2, tzinfo=UTC)
    assert (left.event, left.at) == ("meeting.participant_left", datetime(2026, 12, 7, 9, 59, 30, tzinfo=UTC))
    assert left.data["leave_reason"].startswith("left the meeting")


def test_a_completed_recording_is_stored_with_its_files_but_not_its_download_token(client, zoom_session):
    assert deliver(client, zoom_recording_completed(meeting_id=MEETING_ID)).status_code == 200
    (stored,) = ProviderEvent.objects.all()
    assert stored.event == "recording.completed" and stored.booking_id == zoom_session.pk
    files = stored.data["recording_files"]
    assert [(item["file_type"], item["recording_type"]) for item in files] == [
        ("MP4", "shared_screen_with_speaker_view"),
        ("M4A", "audio_only"),
    ]
    assert files[0]["download_url"] == "https://us05web.zoom.us/rec/download/a1b2c3d4-mp4"
    assert "download-token" not in json.dumps(stored.data)


def test_a_repeated_delivery_is_stored_once(client, zoom_session):
    for _ in range(3):
        assert deliver(client, JOINED).status_code == 200
    recording = zoom_recording_completed(meeting_id=MEETING_ID)
    assert deliver(client, recording).status_code == 200
    assert deliver(client, recording).status_code == 200
    assert ProviderEvent.objects.count() == 2


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_X_ZM_REQUEST_TIMESTAMP": str(int(time.time()))},
        {"HTTP_X_ZM_REQUEST_TIMESTAMP": str(int(time.time())), "HTTP_X_ZM_SIGNATURE": "v0=" + "0" * 64},
        {"HTTP_X_ZM_REQUEST_TIMESTAMP": "yesterday", "HTTP_X_ZM_SIGNATURE": "v0=abc"},
    ],
)
def test_a_delivery_without_a_valid_signature_is_refused_and_nothing_is_stored(client, zoom_session, headers):
    response = client.post(URL, json.dumps(JOINED), content_type="application/json", **headers)
    assert response.status_code == 401
    assert not ProviderEvent.objects.exists()


def test_a_delivery_signed_with_another_secret_or_altered_after_signing_is_refused(client, zoom_session):
    assert deliver(client, JOINED, secret="someone-elses-secret").status_code == 401
    body = json.dumps(JOINED).encode()
    headers = signed(body)
    altered = body.replace(b"lena@example.com", b"mallory@example.com")
    assert client.post(URL, altered, content_type="application/json", **headers).status_code == 401
    assert not ProviderEvent.objects.exists()


@pytest.mark.parametrize("age", [301, 3600, -301])
def test_an_old_or_future_delivery_is_refused_even_with_its_signature(client, zoom_session, age):
    """A captured delivery replayed later (or one stamped ahead) is refused; its signature was real."""
    assert deliver(client, JOINED, at=time.time() - age).status_code == 401
    assert not ProviderEvent.objects.exists()


def test_the_url_validation_challenge_is_answered_with_the_hmac_of_the_plain_token(client, zoom_configured):
    challenge = {
        "payload": {"plainToken": "qgg8vlvZRS6UYooatFL8Aw"},
        "event_ts": 1654503849680,
        "event": "endpoint.url_validation",
    }
    response = deliver(client, challenge)
    assert response.status_code == 200
    expected = hmac.new(SECRET.encode(), b"qgg8vlvZRS6UYooatFL8Aw", hashlib.sha256).hexdigest()
    assert response.json() == {"plainToken": "qgg8vlvZRS6UYooatFL8Aw", "encryptedToken": expected}


def test_an_unsigned_challenge_gets_no_answer(client, zoom_configured):
    """Answering it would give anyone our HMAC of a text of their choosing: a forged signature."""
    body = json.dumps({"event": "endpoint.url_validation", "payload": {"plainToken": "v0:1:{}"}})
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 401 and b"encryptedToken" not in response.content


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"\xff\xfe",
        b"[1, 2, 3]",
        b'{"payload": {}}',
        b'{"event": "endpoint.url_validation", "payload": {}}',
        b'{"event": "endpoint.url_validation", "payload": {"plainToken": 7}}',
        b'{"event": "meeting.participant_joined", "payload": []}',
        json.dumps({**JOINED, "payload": {"object": {"id": str(MEETING_ID)}}}).encode(),
    ],
)
def test_a_signed_but_malformed_delivery_is_a_400_and_stores_nothing(client, zoom_session, body):
    assert deliver(client, body).status_code == 400
    assert not ProviderEvent.objects.exists()


def test_an_event_about_a_meeting_that_is_no_booking_is_ignored_and_logged(client, zoom_session, caplog):
    other = zoom_participant_event("meeting.participant_joined", meeting_id=99999999999, at="2026-12-07T09:01:02Z")
    with caplog.at_level(logging.INFO, logger="bookings.video"):
        assert deliver(client, other).status_code == 200
    assert not ProviderEvent.objects.exists()
    assert "99999999999" in caplog.text and "ignored" in caplog.text


def test_events_we_do_not_keep_are_acknowledged(client, zoom_session):
    started = {"event": "meeting.started", "event_ts": 1, "payload": {"object": {"id": str(MEETING_ID)}}}
    assert deliver(client, started).status_code == 200
    assert not ProviderEvent.objects.exists()


def test_hostile_text_in_names_is_stored_as_text_within_its_length(client, zoom_session):
    hostile = zoom_participant_event("meeting.participant_joined", meeting_id=MEETING_ID, at="2026-12-07T09:01:02Z")
    hostile["payload"]["object"]["participant"]["user_name"] = "<script>alert(1)</script>" + "x" * 1000
    hostile["payload"]["object"]["participant"]["join_time"] = "not a time"
    assert deliver(client, hostile).status_code == 200
    (stored,) = ProviderEvent.objects.all()
    assert stored.participant_name.startswith("<script>") and len(stored.participant_name) == 255
    assert stored.at == datetime.fromtimestamp(hostile["event_ts"] / 1000, tz=UTC)  # fell back to the event's time


def test_wrong_methods_an_unconfigured_secret_and_oversize_bodies(client, zoom_session, settings):
    assert client.get(URL).status_code == 405
    big = json.dumps({**JOINED, "padding": "x" * 300_000}).encode()
    assert deliver(client, big).status_code == 413
    settings.VIDEO_ZOOM_WEBHOOK_SECRET = ""
    assert deliver(client, JOINED, secret="").status_code == 404
    assert not ProviderEvent.objects.exists()


def _queries_for_one_delivery(client, minute: int) -> int:
    event = zoom_participant_event(
        "meeting.participant_joined", meeting_id=MEETING_ID, at=f"2026-12-07T09:{minute:02d}:00Z"
    )
    with CaptureQueriesContext(connection) as queries:
        assert deliver(client, event).status_code == 200
    return len(queries)


def test_a_delivery_costs_the_same_queries_however_many_bookings_and_events_exist(
    client, zoom_session, django_assert_num_queries
):
    baseline = _queries_for_one_delivery(client, 1)
    learner, expert = UserFactory(), ExpertUserFactory()
    start = zoom_session.start + timedelta(days=1)
    for index in range(30):
        booking = booking_in_state(
            learner=learner,
            expert=expert,
            start=start + timedelta(hours=2 * index),
            video_provider="zoom",
            video_meeting_id=str(70000000000 + index),
        )
        ProviderEvent.objects.create(
            booking=booking, provider="zoom", event="meeting.participant_joined", at=start, external_id=f"seed-{index}"
        )
    event = zoom_participant_event("meeting.participant_joined", meeting_id=MEETING_ID, at="2026-12-07T09:02:00Z")
    with django_assert_num_queries(baseline):
        assert deliver(client, event).status_code == 200
    assert ProviderEvent.objects.filter(booking=zoom_session).count() == 2


def test_zoom_joins_and_leaves_reach_the_attendance_log_matched_to_the_participant_once(client, zoom_session):
    from bookings.models import AttendanceEvent

    assert deliver(client, JOINED).status_code == 200
    assert deliver(client, JOINED).status_code == 200  # Zoom repeats a delivery: logged once
    assert deliver(client, LEFT).status_code == 200
    rows = list(AttendanceEvent.objects.filter(booking=zoom_session).order_by("at"))
    assert [(row.kind, row.source, row.user_id) for row in rows] == [
        ("joined", "zoom", zoom_session.learner_id),
        ("left", "zoom", zoom_session.learner_id),
    ]
    assert rows[0].at == datetime(2026, 12, 7, 9, 1, 2, tzinfo=UTC)


def test_a_zoom_guest_we_do_not_know_is_logged_without_a_user(client, zoom_session):
    from bookings.models import AttendanceEvent

    guest = zoom_participant_event(
        "meeting.participant_joined", meeting_id=MEETING_ID, at="2026-12-07T09:03:00Z", email="someone@else.example"
    )
    assert deliver(client, guest).status_code == 200
    (row,) = AttendanceEvent.objects.filter(booking=zoom_session)
    assert (row.kind, row.user_id) == ("joined", None)


@pytest.fixture
def recorded_zoom_session(zoom_configured, monkeypatch, tmp_path):
    """A Zoom session that began two hours ago, both participants having agreed to record it."""
    from tests.bookings.recording_samples import private_storage_in, session

    private_storage_in(monkeypatch, tmp_path)
    return session(
        starts_in=-timedelta(hours=2),
        video_provider="zoom",
        video_meeting_id=str(MEETING_ID),
        consent=("learner", "expert"),
    )


@responses.activate
def test_a_completed_zoom_recording_is_copied_into_private_storage_once_by_the_worker(client, recorded_zoom_session):
    from bookings.models import Recording
    from core.outbox import outbox_drain
    from tests.bookings.recording_samples import M4A, MP4

    event = zoom_recording_completed(meeting_id=MEETING_ID)
    files = event["payload"]["object"]["recording_files"]
    for item, body in zip(files, (MP4, M4A), strict=True):
        responses.get(
            item["download_url"],
            body=body,
            content_type="application/octet-stream",
            match=[matchers.header_matcher({"Authorization": f"Bearer {event['download_token']}"})],
        )
    assert deliver(client, event).status_code == 200
    assert deliver(client, event).status_code == 200  # Zoom repeats it: queued once
    outbox_drain()
    outbox_drain()
    stored = Recording.objects.filter(booking=recorded_zoom_session).order_by("external_id")
    assert [(row.source, row.external_id) for row in stored] == [
        ("provider", "zoom:a1b2c3d4-m4a"),
        ("provider", "zoom:a1b2c3d4-mp4"),
    ]
    assert len(responses.calls) == 2
    with stored[1].file.open("rb") as handle:
        assert handle.read() == MP4


@responses.activate
def test_a_zoom_recording_of_a_session_without_both_consents_is_never_downloaded(
    client, zoom_configured, monkeypatch, tmp_path
):
    from bookings.models import Recording
    from core.outbox import outbox_drain
    from tests.bookings.recording_samples import private_storage_in, session

    private_storage_in(monkeypatch, tmp_path)
    session(starts_in=-timedelta(hours=2), video_provider="zoom", video_meeting_id=str(MEETING_ID), consent=("expert",))
    assert deliver(client, zoom_recording_completed(meeting_id=MEETING_ID)).status_code == 200
    outbox_drain()
    assert len(responses.calls) == 0 and not Recording.objects.exists()
