"""The pages that take or report a card payment: never cached, no analytics, no client secret in the URL."""

import pytest
from django.urls import reverse

from cms_pages.models import SiteSettings
from tests.billing.views.test_payment_element import expect_intent, paid_url, review, stripe_api  # noqa: F401

pytestmark = pytest.mark.django_db

ANALYTICS = "https://plausible.io"


@pytest.fixture
def analytics_on(settings, expert_index):
    """Analytics switched on by staff, and their origin allowed by the site-wide policy."""
    site_settings = SiteSettings.for_site(expert_index.get_site())
    site_settings.analytics_enabled = True
    site_settings.analytics_script_url = f"{ANALYTICS}/js/script.js"
    site_settings.save()
    policy = settings.CONTENT_SECURITY_POLICY
    directives = {**policy["DIRECTIVES"], "script-src": [*policy["DIRECTIVES"]["script-src"], ANALYTICS]}
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}


def script_sources(response) -> list[str]:
    for part in response["Content-Security-Policy"].split("; "):
        if part.startswith("script-src"):
            return part.split()[1:]
    raise AssertionError("no script-src")


def test_the_test_mode_pay_page_loads_no_consent_banner_and_no_analytics_origin(client, held, analytics_on):
    response = review(client, held)
    html = response.content.decode()
    # No banner and no consent script; the footer's "Cookie settings" stays hidden without that script.
    assert "data-consent-choice" not in html and "consent.js" not in html
    assert script_sources(response) == ["'self'"]
    assert "no-store" in response["Cache-Control"]
    # Control: the booking's other pages still offer the consent banner under the site-wide policy.
    dashboard = client.get(reverse("learner_dashboard"))
    assert "data-consent-choice" in dashboard.content.decode() and ANALYTICS in script_sources(dashboard)


def test_the_live_pay_page_allows_our_scripts_and_stripes_only(client, held, analytics_on, stripe_api):  # noqa: F811
    expect_intent(stripe_api, "pi_1", "requires_payment_method")
    response = review(client, held)
    assert response.status_code == 200 and "js.stripe.com" in response.content.decode()
    assert "data-consent-choice" not in response.content.decode()
    assert script_sources(response) == ["'self'", "https://js.stripe.com", "https://*.js.stripe.com"]
    assert "no-store" in response["Cache-Control"]


def test_the_return_page_drops_stripes_query_string_before_anything_else(
    client,
    held,
    analytics_on,
    stripe_api,  # noqa: F811
):
    secret = "pi_1_secret_TapTime"
    response = client.get(paid_url(held, payment_intent="pi_1", payment_intent_client_secret=secret))
    assert response.status_code == 302 and response["Location"] == paid_url(held)
    assert not stripe_api.calls  # nothing was read or changed on the way
    clean = client.get(response["Location"])  # no payment yet: back to the review page, still not cached
    assert clean["Location"] == reverse("booking_review", kwargs={"pk": held.pk})
    assert "no-store" in clean["Cache-Control"]
    # Signed out, the way to the login page does not carry the secret either.
    client.logout()
    login = client.get(paid_url(held, payment_intent="pi_1", payment_intent_client_secret=secret))
    assert login["Location"].startswith(reverse("account_login")) and secret not in login["Location"]


def test_the_cancel_page_is_never_cached(client, held):
    assert "no-store" in client.get(reverse("booking_cancel", kwargs={"pk": held.pk}))["Cache-Control"]
