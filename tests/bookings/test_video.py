from datetime import UTC, datetime, timedelta

import jwt
import pytest

from bookings.video import (
    JitsiProvider,
    configured_providers,
    default_provider_name,
    video_provider,
    video_room_create,
)


def test_default_provider_is_public_jitsi_with_unguessable_rooms(settings):
    settings.VIDEO_PROVIDER = "jitsi"
    settings.VIDEO_JITSI_BASE_URL = "https://meet.jit.si"
    settings.VIDEO_JITSI_APP_ID = settings.VIDEO_JITSI_SECRET = ""
    rooms = [video_room_create(booking_ref="booking-7") for _ in range(50)]
    assert len({room.room_id for room in rooms}) == 50
    room = rooms[0]
    assert room.provider == "jitsi"
    assert room.url == f"https://meet.jit.si/{room.room_id}"
    assert "booking-7" not in room.url and len(room.room_id) >= 32
    provider = video_provider()
    expires = datetime.now(UTC) + timedelta(hours=2)
    assert (
        provider.join_url(room, display_name="Lena", email="l@example.com", moderator=False, expires=expires)
        == room.url
    )


def test_self_hosted_jitsi_signs_a_room_scoped_jwt(settings):
    settings.VIDEO_JITSI_BASE_URL = "https://video.taptime.example/"
    settings.VIDEO_JITSI_APP_ID = "taptime"
    settings.VIDEO_JITSI_SECRET = "s3cret-for-tests-only-0123456789abcdef"
    provider = video_provider()
    room = provider.create_room("booking-8")
    assert room.url.startswith("https://video.taptime.example/TapTime-")
    expires = datetime.now(UTC) + timedelta(hours=2)
    url = provider.join_url(room, display_name="Ezra", email="e@example.com", moderator=True, expires=expires)
    token = url.split("?jwt=", 1)[1]
    claims = jwt.decode(token, settings.VIDEO_JITSI_SECRET, algorithms=["HS256"], audience="jitsi")
    assert claims["room"] == room.room_id and claims["iss"] == "taptime" and claims["sub"] == "video.taptime.example"
    assert claims["context"]["user"]["moderator"] is True
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, "another-secret-entirely-0123456789abcdef", algorithms=["HS256"], audience="jitsi")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"base_url": "meet.jit.si"},
        {"base_url": "ftp://meet.jit.si"},
        {"base_url": "https://meet.jit.si", "app_id": "x"},
        {"base_url": "https://meet.jit.si", "secret": "y"},
    ],
)
def test_wrong_jitsi_settings_are_refused(kwargs):
    with pytest.raises(ValueError):
        JitsiProvider(**kwargs)


def test_unknown_provider_is_refused(settings):
    settings.VIDEO_PROVIDER = "skype"
    with pytest.raises(ValueError, match="unknown VIDEO_PROVIDER"):
        video_provider()


def test_without_keys_only_jitsi_is_offered_and_a_default_naming_zoom_falls_back_to_it(settings):
    """The demo: no Zoom or Google credentials, so Jitsi is the only choice and every room is Jitsi's."""
    for name in (
        "VIDEO_ZOOM_ACCOUNT_ID",
        "VIDEO_ZOOM_CLIENT_ID",
        "VIDEO_ZOOM_CLIENT_SECRET",
        "VIDEO_GOOGLE_REFRESH_TOKEN",
    ):
        setattr(settings, name, "")
    settings.VIDEO_PROVIDER = "zoom"
    assert configured_providers() == ["jitsi"]
    assert default_provider_name() == "jitsi"
    with pytest.raises(ValueError, match="no credentials"):
        video_provider()


def test_each_provider_is_offered_once_all_its_credentials_are_set(settings):
    settings.VIDEO_ZOOM_ACCOUNT_ID, settings.VIDEO_ZOOM_CLIENT_ID = "acc", "id"
    settings.VIDEO_ZOOM_CLIENT_SECRET = ""
    settings.VIDEO_GOOGLE_CLIENT_ID, settings.VIDEO_GOOGLE_CLIENT_SECRET = "cid", "csecret"
    settings.VIDEO_GOOGLE_REFRESH_TOKEN = "refresh"
    assert configured_providers() == ["jitsi", "google_meet"]
    settings.VIDEO_ZOOM_CLIENT_SECRET = "secret"
    assert configured_providers() == ["jitsi", "zoom", "google_meet"]
