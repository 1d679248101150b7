"""In headless Chromium: after a paid session, the learner reports that the expert did not come while
the expert reports a technical problem; a staff member decides in the admin with the attendance log in
front of them, and the learner sees the refund (on the loopback Stripe server)."""

import re
from datetime import timedelta

import pytest
import stripe
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from billing.models import Payment
from bookings.models import Booking, SessionDecision
from bookings.services.attendance import attendance_join_record
from core.outbox import outbox_drain
from tests.browser import chromium_page, live_server_in_test_transaction
from tests.builders import paid_booking
from tests.factories import PASSWORD, UserFactory
from tests.marketplace.factories import make_ada, next_monday_nine_berlin

pytestmark = pytest.mark.e2e

# This journey's servers use ports 8271-8279.
LIVE_PORTS = range(8271, 8280)
KEY = "sk_test_TapTimeLocalOnly0000000000000000"


@pytest.fixture
def live_site(db, monkeypatch, stripe_server):
    with live_server_in_test_transaction(LIVE_PORTS, monkeypatch) as url:
        yield url


@pytest.fixture
def browser_page(monkeypatch):
    with chromium_page(monkeypatch, timezone_id="America/New_York", locale="en-US") as page:
        yield page


@pytest.fixture
def ended(expert_index, stripe_server):
    """Grace's paid EUR 80 session with Ada, which ended an hour ago; only Grace joined through TapTime."""
    ada = make_ada(expert_index, headline="Python mentor")
    learner = UserFactory(email="grace@example.com", full_name="Grace Hopper", time_zone="America/New_York")
    booking = paid_booking(learner=learner, session_type=ada.session_types.get(), start=next_monday_nine_berlin())
    start = (timezone.now() - timedelta(hours=2)).replace(microsecond=0)
    Booking.objects.filter(pk=booking.pk).update(start=start, end=start + timedelta(hours=1))
    booking.refresh_from_db()
    attendance_join_record(booking=booking, user=learner, now=start + timedelta(minutes=1))
    return booking


def sign_in(page, live_site, user, next_path):
    page.goto(f"{live_site}/accounts/login/?next={next_path}")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()


def other_browser(page, zone):
    context = page.context.browser.new_context(timezone_id=zone, locale="en-US")
    other = context.new_page()
    other.set_default_timeout(20_000)
    return other


def report(page, kind, text):
    page.get_by_role("link", name="Report a problem with this session").first.click()
    expect(page.get_by_role("heading", level=1, name="Report a problem with a session")).to_be_visible()
    page.get_by_label(kind).check()
    page.get_by_label("Anything staff should know (optional)").fill(text)
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_text("Thank you: your report is recorded.")).to_be_visible()


def test_a_no_show_report_is_decided_by_staff_and_the_learner_sees_the_refund(ended, live_site, browser_page):
    page = browser_page
    staff_user = UserFactory(email="sam@example.com", full_name="Sam Staff", is_staff=True, time_zone="Asia/Kolkata")
    staff_user.groups.add(Group.objects.get(name="Session reviewers"))

    # 1. The learner sees the session's attendance on "My sessions" and reports the expert absent.
    sign_in(page, live_site, ended.learner, "/dashboard/")
    page.wait_for_url(re.compile(r".*/dashboard/$"))
    expect(page.get_by_text("the other side did not join through TapTime")).to_be_visible()
    report(page, "The expert did not come", "I waited for 30 minutes.")
    expect(page.get_by_text("You reported: The expert did not come.")).to_be_visible()

    # 2. The expert, told of it, reports a technical problem instead.
    expert = other_browser(page, "Europe/Berlin")
    sign_in(expert, live_site, ended.expert, "/expert/")
    expert.wait_for_url(re.compile(r".*/expert/$"))
    expect(expert.get_by_text("The other side reported: The expert did not come.")).to_be_visible()
    report(expert, "Technical problem", "The room would not open for me.")
    expect(expert.get_by_text("Our staff will decide.")).to_be_visible()

    # 3. Staff decide in the admin, with both reports and the attendance log (in their own zone).
    staff = other_browser(page, "Asia/Kolkata")
    sign_in(staff, live_site, staff_user, "/admin/session-reports/")
    staff.wait_for_url(re.compile(r".*/admin/session-reports/$"))
    expect(staff.get_by_role("link", name=re.compile(r"^Session reports \(1\)"))).to_be_visible()
    staff.get_by_role("link", name="Grace Hopper with Ada Lovelace").click()
    expect(staff.get_by_text("Contested: needs a decision")).to_be_visible()
    expect(staff.get_by_text("The room would not open for me.")).to_be_visible()
    expect(staff.get_by_role("cell", name="TapTime join link")).to_be_visible()
    staff.get_by_label("Reason").fill("Only the learner joined; the expert's room problem is not the learner's loss.")
    staff.get_by_role("button", name="Refund the learner in full").click()
    expect(staff.get_by_text("Decided. Both participants are told by email")).to_be_visible()
    for each in (page, expert, staff):
        each.wait_for_load_state("networkidle")

    # 4. The worker makes the refund (the live server's transaction never commits, so run it here).
    outbox_drain()
    page.goto(f"{live_site}/dashboard/")
    expect(page.get_by_text("refunded to the learner: €80.00")).to_be_visible()
    expect(page.get_by_text("Expert did not show up")).to_be_visible()

    ended.refresh_from_db()
    payment = Payment.objects.get(booking=ended)
    assert ended.status == Booking.Status.NO_SHOW_EXPERT and SessionDecision.objects.get().decided_by == staff_user
    refunds = stripe.Refund.list(api_key=KEY, payment_intent=payment.stripe_payment_intent_id)["data"]
    assert [(item["amount"], item["status"]) for item in refunds] == [(8000, "succeeded")]
