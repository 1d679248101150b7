import pytest
import responses


@pytest.fixture
def zoom_configured(settings):
    settings.VIDEO_ZOOM_ACCOUNT_ID = "gYz8S9w5Q5yrDoIvmdClYw"
    settings.VIDEO_ZOOM_CLIENT_ID = "zoomclientid123"
    settings.VIDEO_ZOOM_CLIENT_SECRET = "zoom-client-secret-for-tests"
    settings.VIDEO_ZOOM_WEBHOOK_SECRET = "zoom-webhook-secret-token"
    return settings


@pytest.fixture
def google_configured(settings):
    settings.VIDEO_GOOGLE_CLIENT_ID = "1234567890-abc.apps.googleusercontent.com"
    settings.VIDEO_GOOGLE_CLIENT_SECRET = "GOCSPX-google-client-secret"
    settings.VIDEO_GOOGLE_REFRESH_TOKEN = "1//0g-google-refresh-token"
    settings.VIDEO_GOOGLE_CALENDAR_ID = "primary"
    return settings


@pytest.fixture
def http():
    """Every outside HTTP call must be one the test expects (``responses``; nothing reaches the network)."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock
