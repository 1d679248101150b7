"""In headless Chromium: a new learner onboards with a goal, opens the expert recommended for it,
books and pays for a session linked to the goal, and after the session ticks a milestone and sees
it on the progress page. Against a live server and the loopback Stripe server (test cards).
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bookings.models import Booking
from learning.embedding_services import expert_embeddings_backfill
from learning.models import Goal, LearningLink
from learning.services import milestone_add
from tests.bookings.e2e.test_book_and_pay import LEARNER_ZONE, find_slot
from tests.browser import chromium_page, live_server_in_test_transaction
from tests.factories import PASSWORD, UserFactory
from tests.marketplace.factories import make_ada, make_expert, next_monday_nine_berlin

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

# This journey's servers use ports 8291-8299.
LIVE_PORTS = range(8291, 8300)


@pytest.fixture
def live_site(db, monkeypatch, stripe_server):
    with live_server_in_test_transaction(LIVE_PORTS, monkeypatch) as url:
        yield url


def test_a_new_learner_books_a_recommended_expert_for_a_goal_and_ticks_a_milestone(
    expert_index, live_site, monkeypatch
):
    ada = make_ada(expert_index, headline="Python mentor: code reviews of your first projects")
    make_expert(expert_index, name="Carla Cook", headline="Italian cooking: fresh pasta and sauces")
    expert_embeddings_backfill()
    learner = UserFactory(email="newbie@example.com", full_name="Nina Newbie", time_zone=LEARNER_ZONE)
    start = next_monday_nine_berlin()
    with chromium_page(monkeypatch, timezone_id=LEARNER_ZONE, locale="en-US") as page:
        page.goto(f"{live_site}/accounts/login/")
        page.locator("[name=login]").fill(learner.email)
        page.locator("[name=password]").fill(PASSWORD)
        page.get_by_role("button", name="Sign In", exact=True).click()
        expect(page).to_have_url(re.compile(r"/onboarding/interests/$"))
        page.get_by_role("button", name="Skip this step").click()
        expect(page).to_have_url(re.compile(r"/onboarding/goals/$"))
        page.locator("[name='goals-0-title']").fill("Get my first Python project reviewed")
        page.get_by_role("button", name="Save and continue").click()
        page.get_by_role("button", name="Skip the rest").click()
        expect(page).to_have_url(re.compile(r"/dashboard/progress/$"))

        # The recommendation names Ada and says why; the learner follows it and books.
        recommended = page.get_by_role("region", name="Experts for your goals")
        expect(recommended.get_by_role("listitem").first).to_contain_text("Ada Lovelace")
        expect(recommended.get_by_role("listitem").first).to_contain_text("Because:")
        recommended.get_by_role("link", name="Ada Lovelace").click()
        expect(page.get_by_role("heading", level=1, name="Ada Lovelace")).to_be_visible()
        find_slot(page, start).click()
        page.wait_for_url(re.compile(r".*/bookings/\d+/review/$"))
        goal = Goal.objects.get(learner=learner)
        page.get_by_label(re.compile("Which goal does this session")).select_option(str(goal.pk))
        page.get_by_role("button", name="Save goal").click()
        expect(page.get_by_text("Saved which goal this session serves.")).to_be_visible()
        page.get_by_label("Test card: success").check()
        page.get_by_role("button", name="Pay €80.00").click()
        page.wait_for_url(re.compile(r".*/bookings/\d+/$"))
        booking = Booking.objects.get(learner=learner, status=Booking.Status.CONFIRMED)
        assert booking.expert == ada.user and LearningLink.objects.get(booking=booking).goal == goal

        # The session takes place (moved into the past and completed, as the completion job would).
        Booking.objects.filter(pk=booking.pk).update(
            start=timezone.now() - timedelta(days=1, hours=1),
            end=timezone.now() - timedelta(days=1),
            status=Booking.Status.COMPLETED,
        )
        milestone_add(goal=goal, learner=learner, title="Fix the review's three comments")
        page.goto(f"{live_site}/dashboard/goals/")
        page.get_by_role("button", name=re.compile("Mark done")).click()
        expect(page.get_by_text("✓ Fix the review's three comments", exact=True)).to_be_visible()
        page.goto(f"{live_site}/dashboard/progress/")
        expect(page.locator("[data-testid=hours]")).to_have_text("1.0")
        expect(page.locator("progress")).to_have_attribute("value", "1")
