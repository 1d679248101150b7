"""In headless Chromium: a learner buys a package on the expert's page, pays once with a Stripe test
card (the loopback Stripe server, localstripe), and books a session with one of its credits."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from billing.models import PackagePurchase, Payment
from bookings.models import Booking
from marketplace.models import Package
from tests.browser import chromium_page, live_server_in_test_transaction
from tests.builders import onboarded
from tests.factories import PASSWORD, UserFactory
from tests.marketplace.factories import make_ada, next_monday_nine_berlin

pytestmark = pytest.mark.e2e

# This journey's servers use ports 8961-8969.
LIVE_PORTS = range(8961, 8970)
ZONE = "Europe/Berlin"


@pytest.fixture
def live_site(db, monkeypatch, stripe_server):
    with live_server_in_test_transaction(LIVE_PORTS, monkeypatch) as url:
        yield url


@pytest.fixture
def browser_page(monkeypatch):
    with chromium_page(monkeypatch, timezone_id=ZONE, locale="en-US") as page:
        yield page


def slot_name(start: datetime) -> str:
    local = start.astimezone(ZoneInfo(ZONE))
    return f"Book {local:%A} {local.day} {local:%B} at {local:%H:%M}"


def test_a_learner_buys_a_package_and_books_with_a_credit(expert_index, live_site, browser_page):
    page = browser_page
    ada = make_ada(expert_index, headline="Python mentor")
    Package.objects.create(
        profile=ada,
        session_type=ada.session_types.get(duration_minutes=60),
        sessions_count=3,
        price_minor=21000,
        currency="EUR",
        validity_days=90,
    )
    onboarded(UserFactory(email="grace@example.com", full_name="Grace Hopper", time_zone=ZONE))
    expert_url = f"{live_site}{ada.pages.first().url}"

    page.goto(f"{live_site}/accounts/login/?next={ada.pages.first().url}")
    page.get_by_label("Email").fill("grace@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.wait_for_url(expert_url)

    # 1. The package on the expert's page, its summary, one payment.
    expect(page.get_by_text("3 × 60-minute sessions, valid 90 days")).to_be_visible()
    page.get_by_role("link", name="Buy 3 sessions").click()
    expect(page.get_by_role("heading", level=1, name="Buy a package")).to_be_visible()
    page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_url(re.compile(r".*/packages/purchases/\d+/$"))
    page.get_by_label("Test card: success").check()
    page.get_by_role("button", name="Pay €210.00").click()
    expect(page.get_by_text("Payment received: your package's 3 sessions are ready to book.")).to_be_visible()
    expect(page.get_by_test_id("credits-used")).to_have_text("0 of 3 used")
    assert Payment.objects.get().status == Payment.Status.SUCCEEDED
    assert PackagePurchase.objects.get().credits.count() == 3

    # 2. A time on the expert's page, booked with a credit: nothing more to pay.
    start = next_monday_nine_berlin()
    page.goto(expert_url)
    page.locator("#times:not([aria-busy])").wait_for()
    button = page.get_by_role("button", name=slot_name(start))
    for _ in range(3):
        if button.count():
            break
        page.get_by_role("link", name="Next week").click()
        page.wait_for_load_state()
        page.locator("#times:not([aria-busy])").wait_for()
    button.click()
    page.wait_for_url(re.compile(r".*/bookings/\d+/review/$"))
    page.get_by_role("button", name="Book with a credit").click()
    page.wait_for_url(re.compile(r".*/bookings/\d+/$"))
    expect(page.get_by_text("Booked with a package credit: 1 of 3 used.")).to_be_visible()
    expect(page.locator("dd", has_text="A package credit: 1 of 3 used")).to_be_visible()
    booking = Booking.objects.get(status=Booking.Status.CONFIRMED)
    assert booking.start == start and (booking.credit_used, booking.credit_total) == (1, 3)
    assert Payment.objects.count() == 1  # the session itself was not paid for

    # 3. The dashboard says so too.
    page.goto(f"{live_site}/dashboard/")
    expect(page.get_by_text("Package credit: 1 of 3 used")).to_be_visible()
