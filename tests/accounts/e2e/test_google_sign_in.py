"""In headless Chromium: a visitor presses "Google" on the sign-in page, Google's consent screen (intercepted in
the browser) sends them back with a code, Google's token endpoint (mocked at the HTTP boundary with its real
answer and id_token) is called by the server, and they land on their dashboard, signed in."""

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import responses

from accounts.models import User
from tests.accounts import oauth
from tests.browser import chromium_page, live_server_in_test_transaction

pytestmark = pytest.mark.e2e

# This journey's servers use the first free port of 8531-8539.
LIVE_PORTS = range(8531, 8540)


@pytest.fixture
def live_site(db, monkeypatch, settings):
    oauth.configure(settings)
    with live_server_in_test_transaction(LIVE_PORTS, monkeypatch) as url:
        yield url


def test_a_visitor_signs_up_with_google_and_lands_on_the_dashboard(live_site, monkeypatch):
    seen_by_google = {}

    def consent_screen(route):
        """Google's authorization page: the user agrees, and Google redirects to our callback."""
        query = parse_qs(urlsplit(route.request.url).query)
        seen_by_google.update(query)
        back = f"{query['redirect_uri'][0]}?{urlencode({'state': query['state'][0], 'code': '4/0AeanS0b-e2e'})}"
        route.fulfill(status=302, headers={"Location": back})

    with (
        responses.RequestsMock(assert_all_requests_are_fired=True) as google,
        chromium_page(monkeypatch) as page,
    ):
        google.add_passthru("http://127.0.0.1")
        google.add(
            responses.POST,
            oauth.GOOGLE_TOKEN_URL,
            json=oauth.google_token_response(oauth.google_claims(email="grace@example.com")),
        )
        page.route("https://accounts.google.com/**", consent_screen)
        page.goto(f"{live_site}/accounts/login/")
        page.get_by_role("link", name="Google").click()
        # allauth asks before leaving for Google (a POST, so no other site can start it).
        page.locator("main form button[type=submit]").first.click()
        # A brand-new learner starts with the onboarding (learning), as after an email sign-up.
        page.wait_for_url(f"{live_site}/onboarding/**")

    assert seen_by_google["client_id"] == [oauth.GOOGLE_CLIENT_ID]
    assert seen_by_google["code_challenge_method"] == ["S256"]
    user = User.objects.get(email="grace@example.com")
    assert user.full_name == "Grace Hopper"
