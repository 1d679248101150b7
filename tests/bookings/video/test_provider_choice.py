"""The expert picks their video provider on /expert/availability/, from the configured ones only."""

import pytest

from bookings.errors import AvailabilityError
from bookings.models import ExpertVideoSetting
from bookings.services import video_provider_set
from bookings.services.video_rooms import expert_video_provider
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/expert/availability/"


def test_without_keys_the_expert_is_told_sessions_use_jitsi_and_cannot_pick_another(client, ada):
    client.force_login(ada.user)
    page = client.get(URL).content.decode()
    assert "Video rooms" in page and "Zoom and Google Meet appear here when TapTime offers them" in page
    assert 'name="video-provider"' not in page
    response = client.post(URL, {"kind": "video_provider", "video-provider": "zoom"})
    assert response.status_code == 200 and "Only Jitsi rooms are available" in response.content.decode()
    assert not ExpertVideoSetting.objects.exists()
    assert expert_video_provider(expert_id=ada.user_id) == "jitsi"


def test_the_expert_picks_zoom_when_it_is_configured(client, ada, zoom_configured):
    client.force_login(ada.user)
    page = client.get(URL).content.decode()
    assert 'value="jitsi"' in page and 'value="zoom"' in page and 'value="google_meet"' not in page
    response = client.post(URL, {"kind": "video_provider", "video-provider": "zoom"})
    assert response.status_code == 302
    assert "Video rooms saved" in client.get(URL).content.decode()
    assert ExpertVideoSetting.objects.get(profile=ada).provider == "zoom"
    assert expert_video_provider(expert_id=ada.user_id) == "zoom"
    client.post(URL, {"kind": "video_provider", "video-provider": "jitsi"})  # back again: still one row
    assert list(ExpertVideoSetting.objects.values_list("provider", flat=True)) == ["jitsi"]


@pytest.mark.parametrize("value", ["", "google_meet", "ZOOM", "zoom\x00", "skype", "x" * 500])
def test_a_tampered_or_unconfigured_choice_is_refused_and_nothing_changes(client, ada, zoom_configured, value):
    client.force_login(ada.user)
    response = client.post(URL, {"kind": "video_provider", "video-provider": value})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Select a valid choice" in body or "This field is required" in body
    assert not ExpertVideoSetting.objects.exists()
    with pytest.raises(AvailabilityError):
        video_provider_set(profile=ada, provider=value)
    assert not ExpertVideoSetting.objects.exists()


def test_only_experts_may_choose_and_visitors_are_sent_to_sign_in(client, ada, zoom_configured):
    response = client.post(URL, {"kind": "video_provider", "video-provider": "zoom"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(UserFactory())
    assert client.post(URL, {"kind": "video_provider", "video-provider": "zoom"}).status_code == 403
    assert not ExpertVideoSetting.objects.exists()


def test_a_choice_whose_credentials_were_removed_falls_back_to_jitsi(ada, zoom_configured, settings):
    video_provider_set(profile=ada, provider="zoom")
    settings.VIDEO_ZOOM_CLIENT_SECRET = ""
    assert expert_video_provider(expert_id=ada.user_id) == "jitsi"


def test_experts_without_a_choice_get_the_platform_default_when_it_is_configured(ada, google_configured, settings):
    settings.VIDEO_PROVIDER = "google_meet"
    assert expert_video_provider(expert_id=ada.user_id) == "google_meet"
    settings.VIDEO_PROVIDER = "zoom"  # not configured here
    assert expert_video_provider(expert_id=ada.user_id) == "jitsi"
