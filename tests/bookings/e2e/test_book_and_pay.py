"""In headless Chromium: a learner books and pays for a session; the expert sees it.

Against a live server and the real loopback Stripe server (localstripe) with
Stripe's test cards, i.e. the offline demo's pay path (``STRIPE_LIVE_MODE``
off). The live-mode Payment Element needs js.stripe.com and cannot run here;
its server side is tested in tests/billing/test_payment_element.py.
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from billing.models import Payment
from bookings.models import Booking
from tests.browser import chromium_page, live_server_in_test_transaction
from tests.factories import PASSWORD, UserFactory
from tests.marketplace.factories import make_ada, next_monday_nine_berlin

pytestmark = pytest.mark.e2e

# This journey's servers use ports 8161-8169 (the machine's allocation for this work).
LIVE_PORTS = range(8161, 8170)
LEARNER_ZONE = "America/New_York"


@pytest.fixture
def live_site(db, monkeypatch, stripe_server):
    with live_server_in_test_transaction(LIVE_PORTS, monkeypatch) as url:
        yield url


@pytest.fixture
def browser_page(monkeypatch):
    # The browser's zone is the learner's, so anonymous times show in it too (static/js/timezone.js).
    with chromium_page(monkeypatch, timezone_id=LEARNER_ZONE, locale="en-US") as page:
        yield page


@pytest.fixture
def ada(expert_index):
    """Like the demo: an expert with a public page, a priced 60-minute session and Monday-morning hours."""
    return make_ada(expert_index, headline="Python mentor")


@pytest.fixture
def learner(db):
    return UserFactory(email="grace@example.com", full_name="Grace Hopper", time_zone=LEARNER_ZONE)


def slot_name(start: datetime) -> str:
    """The slot button's accessible name, in the learner's zone."""
    local = start.astimezone(ZoneInfo(LEARNER_ZONE))
    return f"Book {local:%A} {local.day} {local:%B} at {local:%H:%M}"


def find_slot(page, start: datetime):
    """The slot's button, paging forward a week at a time like a learner would."""
    # The bare expert page gets its free times after it loads (static/js/slot-picker.js), and the
    # week links reload them in place: wait for each answer before looking.
    settled = page.locator("#times:not([aria-busy])")
    settled.wait_for()
    button = page.get_by_role("button", name=slot_name(start))
    for _ in range(3):
        if button.count():
            return button
        page.get_by_role("link", name="Next week").click()
        page.wait_for_load_state()
        settled.wait_for()
    return button


def sign_in(page, user):
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()


def book_until_review(page, live_site, ada, learner, goals: str) -> datetime:
    """Open the expert page, choose Monday 09:00 Berlin, sign in when asked, choose it again, add a note."""
    start = next_monday_nine_berlin()
    page.goto(f"{live_site}{ada.pages.first().url}")
    expect(page.get_by_role("heading", level=1, name="Ada Lovelace")).to_be_visible()
    find_slot(page, start).click()

    # Anonymous: asked to sign in, then back on the expert page with the same session, zone and week.
    page.wait_for_url(re.compile(r".*/accounts/login/.*"))
    sign_in(page, learner)
    page.wait_for_url(re.compile(r".*\?.*session=60.*#times$"))
    expect(page.get_by_label("Show times in", exact=True)).to_have_value(LEARNER_ZONE)
    expect(page.get_by_label("Session", exact=True)).to_have_value("60")
    page.get_by_role("button", name=slot_name(start)).click()

    page.wait_for_url(re.compile(r".*/bookings/\d+/review/$"))
    expect(page.get_by_role("heading", level=1, name="Review your booking")).to_be_visible()
    expect(page.get_by_text("€80.00").first).to_be_visible()
    local = start.astimezone(ZoneInfo(LEARNER_ZONE))
    expect(page.get_by_text(f"{local:%A} {local.day} {local:%B %Y, %H:%M}")).to_be_visible()
    page.get_by_label("What would you like to get out of this session?").fill(goals)
    return start


def expect_confirmation(page, start: datetime) -> Booking:
    page.wait_for_url(re.compile(r".*/bookings/\d+/$"))
    expect(page.get_by_role("heading", level=1, name="Your session is booked")).to_be_visible()
    expect(page.get_by_text("Payment received: your session is booked.")).to_be_visible()
    local = start.astimezone(ZoneInfo(LEARNER_ZONE))
    expect(page.get_by_text(f"{local:%A} {local.day} {local:%B %Y, %H:%M}")).to_be_visible()
    # Days ahead, so no Join button yet: the page says when the private room opens.
    expect(page.get_by_text("The video room opens 15 minutes before the start")).to_be_visible()
    booking = Booking.objects.get(status=Booking.Status.CONFIRMED)
    assert booking.start == start
    return booking


def test_a_learner_books_and_pays_and_the_expert_sees_the_booking(ada, learner, live_site, browser_page, monkeypatch):
    page = browser_page
    start = book_until_review(page, live_site, ada, learner, goals="Review my first Django app")
    page.get_by_label("Test card: success").check()
    page.get_by_role("button", name="Pay €80.00").click()

    booking = expect_confirmation(page, start)
    assert booking.goals_note == "Review my first Django app"
    assert Payment.objects.get().status == Payment.Status.SUCCEEDED

    # The expert signs in (a browser context of their own), finds the session in their upcoming list
    # in their own zone with the learner's note, and opens it.
    expert_context = page.context.browser.new_context(timezone_id="Europe/Berlin", locale="en-US")
    expert_page = expert_context.new_page()
    expert_page.goto(f"{live_site}/expert/")
    sign_in(expert_page, ada.user)
    expert_page.wait_for_url(re.compile(r".*/expert/$"))
    berlin = start.astimezone(ZoneInfo("Europe/Berlin"))
    upcoming = expert_page.get_by_role("region", name="Upcoming sessions")
    row = upcoming.get_by_role("row", name=re.compile("Grace Hopper"))
    expect(row).to_contain_text(f"{berlin:%a} {berlin.day} {berlin:%b %Y}, 09:00")
    expect(row).to_contain_text("Review my first Django app")
    row.get_by_role("link", name="Details of the session with Grace Hopper").click()
    expert_page.wait_for_url(re.compile(rf".*/bookings/{booking.pk}/$"))
    expect(expert_page.get_by_role("heading", level=2, name="60-minute session with Grace Hopper")).to_be_visible()
    expect(expert_page.get_by_text(f"{berlin:%A} {berlin.day} {berlin:%B %Y}, 09:00 – 10:00")).to_be_visible()
    expect(expert_page.get_by_text("Review my first Django app")).to_be_visible()
    expert_context.close()


def test_a_declined_card_is_explained_and_the_learner_can_pay_again(ada, learner, live_site, browser_page):
    page = browser_page
    start = book_until_review(page, live_site, ada, learner, goals="Understand async views")
    page.get_by_label("Test card: decline").check()
    page.get_by_role("button", name="Pay €80.00").click()

    page.wait_for_url(re.compile(r".*/bookings/\d+/review/$"))
    # One banner says it, with the bank's reason, once.
    banner = page.get_by_role("alert").filter(
        has_text=re.compile(r"The payment did not go through\..*Nothing was charged")
    )
    expect(banner).to_have_count(1)
    expect(page.get_by_text("the time was released", exact=False)).to_have_count(1)
    released = Booking.objects.get()
    assert released.status == Booking.Status.EXPIRED and not released.video_url
    assert Payment.objects.get().status == Payment.Status.FAILED
    expect(page.get_by_role("heading", name="Your session is booked")).to_have_count(0)

    # "Hold this time again" (keyboard: the button is a real button), then the success card books it.
    page.get_by_role("button", name="Hold this time again").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("The time is held for you again.")).to_be_visible()
    page.get_by_label("Test card: success").check()
    page.get_by_role("button", name="Pay €80.00").click()
    expect_confirmation(page, start)
    assert list(Payment.objects.order_by("pk").values_list("status", flat=True)) == [
        Payment.Status.FAILED,
        Payment.Status.SUCCEEDED,
    ]
