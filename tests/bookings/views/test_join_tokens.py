"""Joining with Jitsi token auth: each participant is redirected to their own short-lived, room-scoped link."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking
from bookings.video import video_room_create
from tests.builders import booking_in_state
from tests.factories import ExpertUserFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "s3cret-for-tests-only-0123456789abcdef"


@pytest.fixture
def jitsi_with_tokens(settings):
    settings.VIDEO_JITSI_BASE_URL = "https://video.taptime.example"
    settings.VIDEO_JITSI_APP_ID = "taptime"
    settings.VIDEO_JITSI_SECRET = SECRET


@pytest.fixture
def session(jitsi_with_tokens):
    """A confirmed session starting in five minutes, with its room."""
    start = (timezone.now() + timedelta(minutes=5)).replace(microsecond=0)
    return booking_in_state(
        learner=UserFactory(full_name="Lena Learner"),
        expert=ExpertUserFactory(full_name="Ezra Expert"),
        start=start,
        video_url=video_room_create(booking_ref="x").url,
    )


def joined(client, user, booking):
    client.force_login(user)
    response = client.get(reverse("booking_join", kwargs={"pk": booking.pk}))
    assert response.status_code == 302 and "no-store" in response["Cache-Control"]
    location = urlsplit(response["Location"])
    room_url = f"{location.scheme}://{location.netloc}{location.path}"
    (token,) = parse_qs(location.query)["jwt"]
    return room_url, jwt.decode(token, SECRET, algorithms=["HS256"], audience="jitsi")


def test_the_learner_gets_a_token_for_this_room_until_the_end_and_waits_in_the_lobby(client, session):
    room_url, claims = joined(client, session.learner, session)
    assert room_url == session.video_url
    assert claims["room"] == session.video_url.rsplit("/", 1)[1] and claims["iss"] == "taptime"
    assert claims["exp"] == int(session.end.timestamp())
    assert claims["context"]["user"] == {
        "name": "Lena Learner",
        "email": session.learner.email,
        "moderator": False,
        "affiliation": "member",
        "lobby_bypass": False,
        "lobby": True,
    }
    assert claims["context"]["room"] == {"lobby": True}


def test_the_expert_is_the_moderator_and_skips_the_lobby(client, session):
    _room, claims = joined(client, session.expert, session)
    user = claims["context"]["user"]
    assert (user["moderator"], user["affiliation"], user["lobby_bypass"], user["lobby"]) == (True, "owner", True, False)


def test_a_cancelled_or_refunded_session_issues_no_token(client, session):
    for status in (Booking.Status.CANCELLED_BY_LEARNER, Booking.Status.CANCELLED_REFUNDED):
        Booking.objects.filter(pk=session.pk).update(status=status)
        client.force_login(session.learner)
        assert client.get(reverse("booking_join", kwargs={"pk": session.pk})).status_code == 404
