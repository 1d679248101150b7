"""In headless Chromium: a new learner signs in, onboards (skipping one step), sets a goal, sees the
empty progress dashboard; after a completed session the dashboard shows an hour, and a ticked
milestone shows on the progress page.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bookings.models import Booking
from learning.models import Goal
from learning.services import learning_link_set
from tests.browser import chromium_page, live_server_in_test_transaction
from tests.builders import bookable_expert, booking_in_state
from tests.factories import PASSWORD, UserFactory
from tests.learning.helpers import a_category

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

# This journey's servers use ports 8281-8289.
LIVE_PORTS = range(8281, 8290)


@pytest.fixture
def live_site(home_page, monkeypatch):
    with live_server_in_test_transaction(LIVE_PORTS, monkeypatch) as url:
        yield url


def test_a_new_learner_onboards_sets_a_goal_and_sees_progress(live_site, monkeypatch):
    cloud = a_category("Cloud computing", "cloud-computing")
    learner = UserFactory(email="newbie@example.com")
    expert = bookable_expert().profile.user
    with chromium_page(monkeypatch, timezone_id="Europe/Berlin", locale="en-US") as page:
        page.goto(f"{live_site}/accounts/login/")
        page.locator("[name=login]").fill(learner.email)
        page.locator("[name=password]").fill(PASSWORD)
        page.get_by_role("button", name="Sign In", exact=True).click()
        expect(page).to_have_url(re.compile(r"/onboarding/interests/$"))
        expect(page.get_by_role("heading", name="Why we ask")).to_be_visible()
        page.get_by_label("Cloud computing").check()
        page.get_by_role("button", name="Save and continue").click()
        expect(page).to_have_url(re.compile(r"/onboarding/goals/$"))
        page.locator("[name='goals-0-title']").fill("Pass the AWS architect exam")
        page.locator("[name='goals-0-target_date']").fill((timezone.localdate() + timedelta(days=90)).isoformat())
        page.get_by_role("button", name="Save and continue").click()
        expect(page).to_have_url(re.compile(r"/onboarding/levels/$"))
        page.get_by_role("button", name="Skip this step").click()  # the step skipped
        expect(page).to_have_url(re.compile(r"/onboarding/preferences/$"))
        page.get_by_label("Session length").select_option("60")
        page.get_by_role("button", name="Save and continue").click()
        expect(page).to_have_url(re.compile(r"/dashboard/progress/$"))
        expect(page.locator("[data-testid=hours]")).to_have_text("0.0")
        expect(page.get_by_role("rowheader", name="Pass the AWS architect exam")).to_be_visible()

        # The learner adds a milestone on the goals page.
        page.goto(f"{live_site}/dashboard/goals/")
        page.get_by_label("New milestone").fill("Finish the practice test")
        page.get_by_role("button", name="Add milestone").click()
        expect(page.get_by_text("Finish the practice test", exact=True)).to_be_visible()

        # A session with an expert, linked to the goal, is completed.
        goal = Goal.objects.get(learner=learner)
        booking = booking_in_state(
            learner=learner,
            expert=expert,
            start=timezone.now() - timedelta(days=2),
            minutes=60,
            status=Booking.Status.COMPLETED,
        )
        learning_link_set(booking=booking, learner=learner, goal=goal)

        # After it, the learner ticks the milestone and sees an hour and the milestone on the progress page.
        page.goto(f"{live_site}/dashboard/goals/")
        page.get_by_role("button", name=re.compile("Mark done")).click()
        expect(page.get_by_text("✓ Finish the practice test", exact=True)).to_be_visible()
        page.goto(f"{live_site}/dashboard/progress/")
        expect(page.locator("[data-testid=hours]")).to_have_text("1.0")
        expect(page.locator("progress")).to_have_attribute("value", "1")
        expect(page.locator("img.chart").first).to_be_visible()
        assert cloud.pk in set(learner.learner_profile.interests.values_list("pk", flat=True))
