"""A confirmed session of an expert on Zoom or Google Meet: Jitsi at once, the provider's meeting
swapped in through the outbox, kept in step with cancellations and moves; outages never lose a paid
session's room and never reach the participants as errors."""

import json
import logging
from datetime import timedelta

import pytest
import requests
from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking
from bookings.services import booking_cancel, booking_reschedule, video_provider_set
from bookings.services.video_rooms import video_room_provision
from bookings.video.meet import event_id_for
from core.models import OutboxMessage
from core.outbox import outbox_drain
from tests.builders import bookable_expert, booking_in_state, confirmed_booking
from tests.factories import ExpertUserFactory, UserFactory
from tests.marketplace.factories import next_monday_nine_berlin

from .payloads import GOOGLE_TOKEN, ZOOM_MEETING, ZOOM_MEETING_FRESH_HOST, ZOOM_RATE_LIMITED, ZOOM_TOKEN, google_event

pytestmark = pytest.mark.django_db

ZOOM_TOKEN_URL = "https://zoom.us/oauth/token"
MEETINGS_URL = "https://api.zoom.us/v2/users/me/meetings"
MEETING_URL = "https://api.zoom.us/v2/meetings/85746065432"
GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token"
EVENTS_URL = "https://www.googleapis.com/calendar/v3/calendars/primary/events"
PROVISION = "bookings.tasks.provision_video_room"
SYNC = "bookings.tasks.sync_video_room"


def drain():
    return outbox_drain(now=timezone.now() + timedelta(seconds=1))


def expert_on(provider: str):
    session_type = bookable_expert()
    video_provider_set(profile=session_type.profile, provider=provider)
    return session_type


@pytest.fixture
def zoom_booking(zoom_configured):
    return confirmed_booking(learner=UserFactory(), session_type=expert_on("zoom"), start=next_monday_nine_berlin())


def test_a_zoom_experts_session_has_a_jitsi_room_at_once_and_its_zoom_meeting_once_the_outbox_runs(http, zoom_booking):
    assert zoom_booking.status == Booking.Status.CONFIRMED
    assert zoom_booking.video_provider == "jitsi" and zoom_booking.video_url.startswith("https://meet.jit.si/")
    assert OutboxMessage.objects.filter(handler=PROVISION).count() == 1
    http.post(ZOOM_TOKEN_URL, json=ZOOM_TOKEN)
    create = http.post(MEETINGS_URL, json=ZOOM_MEETING, status=201)
    drain()
    zoom_booking.refresh_from_db()
    assert (zoom_booking.video_provider, zoom_booking.video_meeting_id) == ("zoom", "85746065432")
    assert zoom_booking.video_url == ZOOM_MEETING["join_url"]
    sent = json.loads(create.calls[0].request.body)
    assert sent["start_time"] == zoom_booking.start.strftime("%Y-%m-%dT%H:%M:%SZ") and sent["duration"] == 60
    assert "@" not in sent["topic"]  # no names or addresses sent to Zoom
    drain()  # a second run finds nothing to do
    assert create.call_count == 1


def test_a_rate_limited_zoom_is_retried_no_sooner_than_it_asks_and_the_jitsi_room_stays(http, zoom_booking):
    http.post(ZOOM_TOKEN_URL, json=ZOOM_TOKEN)
    http.post(MEETINGS_URL, json=ZOOM_RATE_LIMITED, status=429, headers={"Retry-After": "900"})
    before = timezone.now()
    result = drain()
    assert result.retried == 1
    message = OutboxMessage.objects.get(handler=PROVISION)
    assert message.status == OutboxMessage.Status.PENDING
    assert message.next_attempt_at >= before + timedelta(seconds=900)
    zoom_booking.refresh_from_db()
    assert zoom_booking.video_provider == "jitsi" and zoom_booking.video_url.startswith("https://meet.jit.si/")


def test_a_zoom_outage_is_retried_and_the_meeting_arrives_later(http, zoom_booking):
    http.post(ZOOM_TOKEN_URL, json=ZOOM_TOKEN)
    http.post(MEETINGS_URL, body="<html>502 Bad Gateway</html>", status=502)
    http.post(MEETINGS_URL, body=requests.ConnectionError("reset"))
    http.post(MEETINGS_URL, json=ZOOM_MEETING, status=201)
    for _ in range(3):
        outbox_drain(now=timezone.now() + timedelta(hours=2))
    zoom_booking.refresh_from_db()
    assert zoom_booking.video_provider == "zoom"
    assert OutboxMessage.objects.get(handler=PROVISION).status == OutboxMessage.Status.DONE


def test_a_refused_meeting_is_not_retried_and_the_session_keeps_jitsi(http, zoom_booking, caplog):
    http.post(ZOOM_TOKEN_URL, json=ZOOM_TOKEN)
    refused = http.post(MEETINGS_URL, json={"code": 1001, "message": "User does not exist: me."}, status=404)
    with caplog.at_level(logging.ERROR, logger="bookings.video"):
        drain()
        drain()
    assert refused.call_count == 1
    assert OutboxMessage.objects.get(handler=PROVISION).status == OutboxMessage.Status.DONE
    zoom_booking.refresh_from_db()
    assert zoom_booking.video_provider == "jitsi" and "refused the meeting" in caplog.text


def test_a_session_cancelled_while_its_meeting_was_made_gets_that_meeting_deleted(http, zoom_booking):
    def made_while_cancelled(request):
        Booking.objects.filter(pk=zoom_booking.pk).update(status=Booking.Status.CANCELLED_BY_LEARNER)
        return 201, {}, json.dumps(ZOOM_MEETING)

    http.post(ZOOM_TOKEN_URL, json=ZOOM_TOKEN)
    http.add_callback("POST", MEETINGS_URL, callback=made_while_cancelled)
    delete = http.delete(MEETING_URL, status=204)
    drain()
    assert delete.call_count == 1
    zoom_booking.refresh_from_db()
    assert zoom_booking.video_provider == "jitsi" and zoom_booking.video_meeting_id == ""


def test_no_room_is_swapped_once_it_may_have_been_joined(http, zoom_configured):
    """Fifteen minutes before the start the participants may already be in the Jitsi room: it stays."""
    soon = booking_in_state(
        learner=UserFactory(),
        expert=ExpertUserFactory(),
        start=timezone.now() + timedelta(minutes=10),
        video_url="https://meet.jit.si/TapTime-abc",
        video_provider="jitsi",
    )
    assert video_room_provision(booking_id=soon.pk, provider="zoom") is False  # no HTTP call registered: none made
    soon.refresh_from_db()
    assert soon.video_url == "https://meet.jit.si/TapTime-abc"


def test_moving_the_session_moves_the_meeting_and_cancelling_it_deletes_the_meeting(http, zoom_booking):
    http.post(ZOOM_TOKEN_URL, json=ZOOM_TOKEN)
    http.post(MEETINGS_URL, json=ZOOM_MEETING, status=201)
    drain()
    patch = http.patch(MEETING_URL, status=204)
    delete = http.delete(MEETING_URL, status=204)
    zoom_booking.refresh_from_db()
    moved = booking_reschedule(
        booking=zoom_booking, by=zoom_booking.learner, start=zoom_booking.start + timedelta(hours=2)
    )
    drain()
    assert json.loads(patch.calls[0].request.body)["start_time"] == moved.start.strftime("%Y-%m-%dT%H:%M:%SZ")
    booking_cancel(booking=moved, by=moved.learner)
    drain()
    assert delete.call_count == 1 and patch.call_count == 1


def test_a_cancellation_the_provider_cannot_take_now_is_retried(http, zoom_booking):
    http.post(ZOOM_TOKEN_URL, json=ZOOM_TOKEN)
    http.post(MEETINGS_URL, json=ZOOM_MEETING, status=201)
    drain()
    zoom_booking.refresh_from_db()
    booking_cancel(booking=zoom_booking, by=zoom_booking.learner)
    http.delete(MEETING_URL, json={"code": 500, "message": "Internal error"}, status=500)
    deleted = http.delete(MEETING_URL, status=204)
    drain()
    assert OutboxMessage.objects.get(handler=SYNC).status == OutboxMessage.Status.PENDING
    outbox_drain(now=timezone.now() + timedelta(hours=1))
    assert deleted.call_count == 1
    assert OutboxMessage.objects.get(handler=SYNC).status == OutboxMessage.Status.DONE


def test_a_meet_experts_session_gets_a_meet_link(http, google_configured):
    booking = confirmed_booking(
        learner=UserFactory(), session_type=expert_on("google_meet"), start=next_monday_nine_berlin()
    )
    event_id = event_id_for(booking.reference)
    http.post(GOOGLE_TOKEN_URL, json=GOOGLE_TOKEN)
    http.post(EVENTS_URL, json=google_event(event_id=event_id, request_id=f"{booking.reference}-meet"))
    drain()
    booking.refresh_from_db()
    assert (booking.video_provider, booking.video_meeting_id) == ("google_meet", event_id)
    assert booking.video_url == "https://meet.google.com/abc-mnop-xyz"


def test_without_keys_nothing_is_queued_and_every_session_stays_on_jitsi(zoom_configured, settings):
    """The demo: an expert's old choice of Zoom means nothing once Zoom's credentials are gone."""
    session_type = expert_on("zoom")
    settings.VIDEO_ZOOM_ACCOUNT_ID = settings.VIDEO_ZOOM_CLIENT_ID = settings.VIDEO_ZOOM_CLIENT_SECRET = ""
    booking = confirmed_booking(learner=UserFactory(), session_type=session_type, start=next_monday_nine_berlin())
    assert booking.video_provider == "jitsi" and booking.video_url.startswith("https://meet.jit.si/")
    assert not OutboxMessage.objects.filter(handler__in=[PROVISION, SYNC]).exists()


# --- Joining --------------------------------------------------------------------------------------


@pytest.fixture
def zoom_session_now(zoom_configured):
    return booking_in_state(
        learner=UserFactory(),
        expert=ExpertUserFactory(),
        start=timezone.now() + timedelta(minutes=5),
        video_url=ZOOM_MEETING["join_url"],
        video_provider="zoom",
        video_meeting_id="85746065432",
    )


def join(client, user, booking):
    client.force_login(user)
    response = client.get(reverse("booking_join", kwargs={"pk": booking.pk}))
    assert response.status_code == 302 and "no-store" in response["Cache-Control"]
    return response["Location"]


def test_the_learner_joins_zoom_by_the_join_url_and_the_expert_as_host_by_a_fresh_start_url(
    http, client, zoom_session_now
):
    http.post(ZOOM_TOKEN_URL, json=ZOOM_TOKEN)
    http.get(MEETING_URL, json=ZOOM_MEETING_FRESH_HOST)
    assert join(client, zoom_session_now.learner, zoom_session_now) == ZOOM_MEETING["join_url"]
    assert join(client, zoom_session_now.expert, zoom_session_now) == ZOOM_MEETING_FRESH_HOST["start_url"]


def test_the_expert_still_gets_in_when_zoom_cannot_give_a_host_link(http, client, zoom_session_now, settings):
    http.post(ZOOM_TOKEN_URL, json=ZOOM_TOKEN)
    http.get(MEETING_URL, json={"code": 500, "message": "Internal error"}, status=500)
    assert join(client, zoom_session_now.expert, zoom_session_now) == ZOOM_MEETING["join_url"]
    settings.VIDEO_ZOOM_CLIENT_SECRET = ""  # credentials removed since: the meeting link still works
    assert join(client, zoom_session_now.expert, zoom_session_now) == ZOOM_MEETING["join_url"]


def test_nobody_else_is_let_into_a_zoom_session(http, client, zoom_session_now):
    client.force_login(UserFactory())
    assert client.get(reverse("booking_join", kwargs={"pk": zoom_session_now.pk})).status_code == 404
    Booking.objects.filter(pk=zoom_session_now.pk).update(status=Booking.Status.CANCELLED_BY_EXPERT)
    client.force_login(zoom_session_now.learner)
    assert client.get(reverse("booking_join", kwargs={"pk": zoom_session_now.pk})).status_code == 404
