"""In headless Chromium: a support user finds a learner in the operations console, cancels their paid
session with a full refund (on the loopback Stripe server), and the audit log shows it."""

import re

import pytest
import stripe
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from billing.models import Payment
from bookings.models import Booking
from tests.browser import chromium_page, live_server_in_test_transaction
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

# This journey's servers use ports 8311-8319.
LIVE_PORTS = range(8311, 8320)
KEY = "sk_test_TapTimeLocalOnly0000000000000000"


@pytest.fixture
def support(db):
    call_command("ops_groups", stdout=open("/dev/null", "w"))  # noqa: SIM115
    user = UserFactory(is_staff=True, full_name="Sam Support", email="sam.support@example.com")
    user.groups.add(Group.objects.get(name="Support"))
    return user


def test_support_finds_a_learner_cancels_with_refund_and_the_audit_log_shows_it(paid, support, monkeypatch):
    with (
        live_server_in_test_transaction(LIVE_PORTS, monkeypatch) as live_site,
        chromium_page(monkeypatch, timezone_id="Europe/Berlin", locale="en-US") as page,
    ):
        page.goto(f"{live_site}/admin/")
        page.fill('input[name="login"]', support.email)
        page.fill('input[name="password"]', PASSWORD)
        page.click('form [type="submit"]')
        page.wait_for_url(re.compile(r".*/admin/.*"))

        page.goto(f"{live_site}/admin/ops/sessions/")
        page.get_by_role("textbox", name="Search term").fill(paid.learner.email)
        page.keyboard.press("Enter")
        link = page.get_by_role("link", name=str(paid.pk), exact=True)
        expect(link).to_have_count(1)
        link.click()
        page.wait_for_url(re.compile(rf".*/admin/ops/sessions/{paid.pk}/$"))
        expect(page.get_by_text(paid.learner.email)).to_be_visible()

        form = page.locator("form.ops-action", has_text="Cancel with a full refund")
        form.get_by_role("button", name="Cancel with a full refund").click()  # no reason: refused
        expect(page.get_by_text("Please give the reason; it is kept in the audit log.").first).to_be_visible()
        form = page.locator("form.ops-action", has_text="Cancel with a full refund")
        form.get_by_label("Reason (kept in the audit log)").fill("The learner asked support: a family emergency.")
        form.get_by_role("button", name="Cancel with a full refund").click()
        expect(page.get_by_text("Cancelled and refunded in full.")).to_be_visible()

        timeline = page.get_by_role("table")
        expect(timeline.get_by_text("Cancel a session with a full refund")).to_be_visible()
        expect(timeline.get_by_text("family emergency")).to_be_visible()
        expect(timeline.get_by_text("Sam Support")).to_be_visible()

    paid.refresh_from_db()
    assert paid.status == Booking.Status.CANCELLED_REFUNDED
    payment = Payment.objects.get(booking=paid)
    refunds = stripe.Refund.list(api_key=KEY, payment_intent=payment.stripe_payment_intent_id)["data"]
    assert [(item["amount"], item["status"]) for item in refunds] == [(8000, "succeeded")]
