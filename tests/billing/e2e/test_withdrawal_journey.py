"""In headless Chromium: an expert with available earnings connects a payout account (Stripe's
onboarding stood in for by a page of our own), requests a withdrawal, a staff member approves it
in the Wagtail admin, and the expert sees it paid out. Stripe Connect is answered at its HTTP
boundary by ``responses`` with Stripe's shapes."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from billing.models import Withdrawal
from billing.services.earnings import earnings_release_due
from core.outbox import outbox_drain
from tests.browser import chromium_page, live_server_in_test_transaction
from tests.factories import PASSWORD, ExpertUserFactory, UserFactory

from ..money_builders import API, account_json, account_link_json, past_paid_session, transfer_json

pytestmark = pytest.mark.e2e

# This journey's servers use ports 8491-8499.
LIVE_PORTS = range(8491, 8500)
ACCOUNT = "acct_1AdaJourney"


@pytest.fixture
def live_site(db, monkeypatch, stripe_api):
    with live_server_in_test_transaction(LIVE_PORTS, monkeypatch) as url:
        yield url


@pytest.fixture
def browser_page(monkeypatch):
    with chromium_page(monkeypatch, timezone_id="Europe/Berlin", locale="en-US") as page:
        yield page


def sign_in(page, live_site, user, next_path):
    page.goto(f"{live_site}/accounts/login/?next={next_path}")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()


def test_the_expert_connects_payouts_withdraws_and_sees_it_paid(live_site, browser_page, stripe_api, mailoutbox):
    page = browser_page
    expert = ExpertUserFactory(email="ada@example.com", full_name="Ada Lovelace", time_zone="Europe/Berlin")
    for _ in range(2):
        past_paid_session(expert=expert, ended_days_ago=9)  # EUR 80 each, EUR 68 each to Ada
    earnings_release_due()
    staff_user = UserFactory(email="sam@example.com", full_name="Sam Staff", is_staff=True)
    staff_user.groups.add(Group.objects.get(name="Withdrawal approvers"))

    stripe_api.post(f"{API}/v1/accounts", json=account_json(ACCOUNT, ready=False, due=["external_account"]))
    stripe_api.post(f"{API}/v1/account_links", json=account_link_json(ACCOUNT))
    stripe_api.get(f"{API}/v1/accounts/{ACCOUNT}", json=account_json(ACCOUNT, ready=True))

    # Stripe's hosted onboarding: a stand-in page that sends the expert back to our return URL.
    def onboarding(route):
        back = f"{live_site}/expert/payouts/return/"
        route.fulfill(
            status=200,
            content_type="text/html",
            body=f'<html><body><h1>Stripe Express</h1><a href="{back}">Return to TapTime</a></body></html>',
        )

    page.route("https://connect.stripe.com/**", onboarding)

    # 1. The expert sees the available balance and is asked to connect payouts.
    sign_in(page, live_site, expert, "/expert/earnings/")
    page.wait_for_url(re.compile(r".*/expert/earnings/$"))
    expect(page.locator('[data-balance="available-EUR"]')).to_have_text("€136.00")
    page.get_by_role("link", name="Set up payouts").click()
    page.get_by_role("button", name="Set up payouts with Stripe").click()
    expect(page.get_by_role("heading", name="Stripe Express")).to_be_visible()
    page.get_by_role("link", name="Return to TapTime").click()
    expect(page.get_by_text("Your payout account is ready.")).to_be_visible()

    # 2. The expert requests a withdrawal of EUR 100.
    page.get_by_role("link", name="Your earnings").click()
    page.get_by_label("Amount").fill("100.00")
    page.get_by_label("Currency").select_option("EUR")
    page.get_by_role("button", name="Request withdrawal").click()
    expect(page.get_by_text("We received your request to withdraw €100.00")).to_be_visible()
    expect(page.locator('[data-balance="available-EUR"]')).to_have_text("€36.00")
    withdrawal = Withdrawal.objects.get()
    stripe_api.post(
        f"{API}/v1/transfers",
        json=transfer_json("tr_journey", amount=10_000, destination=ACCOUNT, group=f"withdrawal-{withdrawal.pk}"),
    )

    # 3. Staff approve it in the admin.
    staff = page.context.browser.new_context(locale="en-US").new_page()
    staff.set_default_timeout(20_000)
    sign_in(staff, live_site, staff_user, "/admin/withdrawals/")
    staff.wait_for_url(re.compile(r".*/admin/withdrawals/$"))
    expect(staff.get_by_role("link", name=re.compile(r"^Withdrawals \(1\)"))).to_be_visible()
    staff.locator(f'a[href$="/admin/withdrawals/{withdrawal.pk}/"]').click()
    staff.get_by_label("Note to the expert").fill("Checked against the sessions.")
    staff.get_by_role("button", name="Approve and transfer").click()
    expect(staff.get_by_text("The expert is told by email.")).to_be_visible()
    staff.wait_for_load_state("networkidle")

    # 4. The expert sees it paid out, and is emailed.
    page.goto(f"{live_site}/expert/earnings/")
    expect(page.locator('[data-balance="paid-out-EUR"]')).to_have_text("€100.00")
    expect(page.locator('[data-status="paid"]')).to_have_text("Paid out")
    outbox_drain()
    assert any("Paid out" in message.subject for message in mailoutbox)
    transfers = [call for call in stripe_api.calls if call.request.url == f"{API}/v1/transfers"]
    assert len(transfers) == 1
    assert transfers[0].request.headers["Idempotency-Key"] == f"withdrawal-{withdrawal.pk}-transfer-v1"
