"""In headless Chromium: a learner moves a paid session to another free time, and later cancels it late and
gets the partial refund the cancel screen showed (on the loopback Stripe server)."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import stripe
from django.utils import timezone
from playwright.sync_api import expect

from billing.models import Payment
from bookings.models import Booking
from tests.browser import chromium_page, live_server_in_test_transaction
from tests.builders import paid_booking
from tests.factories import PASSWORD, UserFactory
from tests.marketplace.factories import make_ada, next_monday_nine_berlin

pytestmark = pytest.mark.e2e

# This journey's servers use ports 8201-8209.
LIVE_PORTS = range(8201, 8210)
LEARNER_ZONE = "America/New_York"
KEY = "sk_test_TapTimeLocalOnly0000000000000000"


@pytest.fixture
def live_site(db, monkeypatch, stripe_server):
    with live_server_in_test_transaction(LIVE_PORTS, monkeypatch) as url:
        yield url


@pytest.fixture
def browser_page(monkeypatch):
    with chromium_page(monkeypatch, timezone_id=LEARNER_ZONE, locale="en-US") as page:
        yield page


@pytest.fixture
def booked(expert_index, stripe_server):
    ada = make_ada(expert_index, headline="Python mentor")
    learner = UserFactory(email="grace@example.com", full_name="Grace Hopper", time_zone=LEARNER_ZONE)
    booking = paid_booking(learner=learner, session_type=ada.session_types.get(), start=next_monday_nine_berlin())
    assert booking.status == Booking.Status.CONFIRMED
    return booking


def sign_in(page, live_site, user, next_path="/dashboard/"):
    page.goto(f"{live_site}/accounts/login/?next={next_path}")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()


def test_a_learner_moves_a_session_then_cancels_late_for_the_refund_shown(booked, live_site, browser_page):
    page = browser_page
    sign_in(page, live_site, booked.learner)
    page.wait_for_url(re.compile(r".*/dashboard/$"))

    # Move: the dashboard row's "Move" opens the expert's free times for the same length.
    page.get_by_role("link", name="Move the session with Ada Lovelace").click()
    expect(page.get_by_role("heading", level=1, name="Move your session")).to_be_visible()
    new_start = booked.start + timedelta(hours=2)  # Monday 11:00 Berlin
    local = new_start.astimezone(ZoneInfo(LEARNER_ZONE))
    button = page.get_by_role("button", name=f"Move to {local:%A} {local.day} {local:%B} at {local:%H:%M}")
    for _ in range(3):  # the session's week may be the first or a later one
        if button.count():
            break
        page.get_by_role("link", name="Next week").click()
        page.wait_for_load_state()
    button.click()
    page.wait_for_url(re.compile(rf".*/bookings/{booked.pk}/$"))
    expect(page.get_by_text("Your session is moved to")).to_be_visible()
    booked.refresh_from_db()
    assert booked.start == new_start and booked.reschedule_count == 1

    # Cancel late: ten hours before the start, the flexible policy gives back half.
    start = timezone.now() + timedelta(hours=10)
    Booking.objects.filter(pk=booked.pk).update(start=start, end=start + timedelta(hours=1))
    page.goto(f"{live_site}/dashboard/")
    expect(page.get_by_text("refund now: €40.00")).to_be_visible()
    expect(page.get_by_text("Starting soon")).to_be_visible()
    page.get_by_role("link", name="Cancel the session with Ada Lovelace").click()
    expect(page.get_by_text("€40.00 of the €80.00 you paid (50 %) is refunded")).to_be_visible()
    page.get_by_role("button", name="Cancel and refund €40.00").click()
    page.wait_for_url(re.compile(r".*/dashboard/$"))
    expect(page.get_by_text("€40.00 of €80.00 is on its way back to your card.")).to_be_visible()

    booked.refresh_from_db()
    payment = Payment.objects.get(booking=booked)
    assert booked.status == Booking.Status.CANCELLED_BY_LEARNER and booked.refund_minor == 4000
    refunds = stripe.Refund.list(api_key=KEY, payment_intent=payment.stripe_payment_intent_id)["data"]
    assert [(item["amount"], item["status"]) for item in refunds] == [(4000, "succeeded")]


def test_the_expert_proposes_a_new_time_and_the_learner_accepts(booked, live_site, browser_page):
    page = browser_page
    expert = booked.expert
    sign_in(page, live_site, expert, next_path=f"/bookings/{booked.pk}/")
    page.wait_for_url(re.compile(rf".*/bookings/{booked.pk}/$"))
    page.get_by_role("link", name="Propose another time").click()
    expect(page.get_by_role("heading", level=1, name="Propose another time")).to_be_visible()
    new_start = booked.start + timedelta(hours=1)  # Monday 10:00 Berlin, shown in the expert's zone
    local = new_start.astimezone(ZoneInfo("Europe/Berlin"))
    button = page.get_by_role("button", name=f"Propose {local:%A} {local.day} {local:%B} at {local:%H:%M}")
    for _ in range(3):
        if button.count():
            break
        page.get_by_role("link", name="Next week").click()
        page.wait_for_load_state()
    button.click()
    expect(page.get_by_text("Your proposal is sent.")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, live_site, booked.learner, next_path=f"/bookings/{booked.pk}/")
    page.wait_for_url(re.compile(rf".*/bookings/{booked.pk}/$"))
    page.get_by_role("link", name="Accept or decline").click()
    page.get_by_role("button", name="Accept the new time").click()
    page.wait_for_url(re.compile(rf".*/bookings/{booked.pk}/$"))
    expect(page.get_by_text("The session is moved.")).to_be_visible()
    booked.refresh_from_db()
    assert booked.start == new_start and booked.reschedule_count == 0 and booked.ics_sequence == 1
