"""In headless Chromium with a virtual authenticator (the DevTools protocol's WebAuthn domain): a learner adds a
passkey, signs in with it and no password, then uses it as the second factor after a password; the site's strict
CSP reports nothing on the way."""

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from tests.browser import chromium_page, live_server_in_test_transaction
from tests.builders import onboarded
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.e2e

# This journey's servers use the first free port of 8521-8529.
LIVE_PORTS = range(8521, 8530)


@pytest.fixture
def live_site(db, monkeypatch):
    with live_server_in_test_transaction(LIVE_PORTS, monkeypatch) as url:
        # WebAuthn refuses an IP address as the relying party: browse by name (http://localhost is a secure context).
        yield url.replace("127.0.0.1", "localhost")


def add_virtual_authenticator(page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def sign_in_with_password(page, site: str, email: str) -> None:
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()


def sign_out(page, site: str) -> None:
    page.goto(f"{site}/accounts/logout/")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/accounts/logout/" not in url)


def test_a_passkey_signs_in_without_a_password_and_serves_as_second_factor(live_site, monkeypatch):
    learner = onboarded(UserFactory(email="pia@example.com", full_name="Pia Passkey"))
    csp_reports = []
    with chromium_page(monkeypatch) as page:
        page.on(
            "console",
            lambda message: csp_reports.append(message.text) if "Content Security Policy" in message.text else None,
        )
        add_virtual_authenticator(page)

        sign_in_with_password(page, live_site, learner.email)
        page.wait_for_url(f"{live_site}/dashboard/")
        page.goto(f"{live_site}/accounts/2fa/webauthn/add/")
        if "/reauthenticate/" in page.url:  # adding a second factor asks for the password again
            page.get_by_label("Password").fill(PASSWORD)
            page.locator("main form button[type=submit]").first.click()
            page.wait_for_url(lambda url: "/webauthn/add/" in url)
        page.get_by_label("Name").fill("Laptop")
        page.get_by_label("Passwordless").check()
        page.locator("#mfa_webauthn_add").click()
        page.wait_for_url(lambda url: "/webauthn/add/" not in url)
        assert Authenticator.objects.filter(user=learner, type=Authenticator.Type.WEBAUTHN).count() == 1

        # Passwordless: the login page's passkey button, nothing typed.
        sign_out(page, live_site)
        page.goto(f"{live_site}/accounts/login/")
        page.locator("#passkey_login").click()
        page.wait_for_url(f"{live_site}/dashboard/")
        expect(page.get_by_role("heading", level=1)).to_be_visible()  # the dashboard, which needs a sign-in

        # Second factor: the password, then the passkey instead of a code.
        sign_out(page, live_site)
        sign_in_with_password(page, live_site, learner.email)
        page.wait_for_url(lambda url: "/accounts/2fa/authenticate/" in url)
        page.locator("#mfa_webauthn_authenticate").click()
        page.wait_for_url(f"{live_site}/dashboard/")

    assert csp_reports == []
