"""In headless Chromium: a learner's session completes, they rate it (stars by keyboard), the review is
published by the job, the expert replies, and the rating shows on the expert's card in browse.

The live server runs inside the test's transaction; the journey runs the periodic jobs itself
(completion, publication) between page visits, while no request is in flight.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bookings.models import Booking
from bookings.services.lifecycle import booking_complete_past
from reviews.models import SessionReview
from reviews.services import reviews_publish_due
from tests.browser import chromium_page, live_server_in_test_transaction
from tests.builders import booking_in_state
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

# This journey's servers use ports 8461-8469.
LIVE_PORTS = range(8461, 8470)


@pytest.fixture
def live_site(expert_index, monkeypatch):
    with live_server_in_test_transaction(LIVE_PORTS, monkeypatch) as url:
        yield url


@pytest.fixture
def browser_page(monkeypatch):
    with chromium_page(monkeypatch, timezone_id="Europe/Berlin", locale="en-US") as page:
        yield page


def sign_in(page, live_site, email, next_path):
    page.goto(f"{live_site}/accounts/login/?next={next_path}")
    page.locator("[name=login]").fill(email)
    page.locator("[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.wait_for_load_state("networkidle")


def test_a_learner_rates_the_expert_replies_and_the_card_shows_the_rating(ada, learner, live_site, browser_page):
    page = browser_page
    session = booking_in_state(
        learner=learner, expert=ada.user, start=timezone.now() - timedelta(hours=2), status=Booking.Status.CONFIRMED
    )
    assert booking_complete_past() == 1

    # The learner's dashboard invites them; the form is labelled radio buttons, driven by the keyboard.
    sign_in(page, live_site, learner.email, "/dashboard/")
    page.get_by_role("link", name="Rate your session").click()
    page.wait_for_url(re.compile(rf".*/bookings/{session.pk}/rate/$"))
    overall = page.get_by_role("group", name=re.compile("^Overall"))
    overall.get_by_label("5 stars — excellent").check()
    page.keyboard.press("ArrowDown")  # arrow keys move within a radio group: now 4 stars
    expect(overall.get_by_label("4 stars — good")).to_be_checked()
    page.get_by_text("Rate the details (optional)").click()
    page.get_by_role("group", name="Clarity").get_by_label("5 stars — excellent").check()
    page.get_by_label("Your review").fill("Patient, clear, and <b>well prepared</b>.")
    page.get_by_label("Private note to the expert").fill("Please send the slides.")
    page.get_by_role("button", name="Send review").click()
    page.wait_for_url(re.compile(r".*/dashboard/$"))
    expect(page.get_by_text("Thank you. Your review is published within a few days")).to_be_visible()
    page.wait_for_load_state("networkidle")

    review = SessionReview.objects.get(booking=session)
    assert (review.rating, review.clarity, review.published_at) == (4, 5, None)
    # Not public yet: the card shows no rating.
    page.goto(f"{live_site}/experts/")
    expect(page.get_by_text("4.0 (1 rating)")).to_have_count(0)
    page.wait_for_load_state("networkidle")
    assert reviews_publish_due(now=timezone.now() + timedelta(days=3, minutes=1)) == 1

    # The expert reads it (with the private note) and replies once.
    expert = page.context.browser.new_context(timezone_id="Europe/Berlin", locale="en-US").new_page()
    expert.set_default_timeout(20_000)
    sign_in(expert, live_site, ada.user.email, "/expert/reviews/")
    expect(expert.get_by_text("Please send the slides.")).to_be_visible()
    expert.get_by_label("Your public reply").fill("Thank you, slides are on their way.")
    expert.get_by_role("button", name="Publish reply").click()
    expect(expert.get_by_text("Your reply is published under the review.")).to_be_visible()
    expect(expert.get_by_role("button", name="Publish reply")).to_have_count(0)
    expert.wait_for_load_state("networkidle")

    # Browse shows the real rating on the card; the page shows the review, escaped, and the reply.
    page.goto(f"{live_site}/experts/")
    expect(page.get_by_text("4.0 (1 rating)")).to_be_visible()
    page.get_by_role("link", name="Ada Lovelace").first.click()
    expect(page.get_by_text("4.0 out of 5 from 1 review")).to_be_visible()
    expect(page.get_by_text("Patient, clear, and <b>well prepared</b>.")).to_be_visible()
    expect(page.get_by_text("Thank you, slides are on their way.")).to_be_visible()
    expect(page.get_by_text("Please send the slides.")).to_have_count(0)
    page.wait_for_load_state("networkidle")
