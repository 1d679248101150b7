"""Onboarding: the redirect after verification, each step saved or skipped, resumable, bad input refused."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.models import Goal, LearnerProfile, SkillLevel
from marketplace.models import Language
from tests.factories import PASSWORD, ExpertUserFactory, UserFactory

from .helpers import a_category

pytestmark = pytest.mark.django_db


def _sign_in(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def test_a_new_learner_lands_on_onboarding_and_an_expert_does_not(client):
    learner = UserFactory()
    assert _sign_in(client, learner)["Location"] == "/onboarding/"
    client.logout()
    assert _sign_in(client, ExpertUserFactory())["Location"] == "/expert/"


def test_after_finishing_or_skipping_sign_in_goes_to_the_dashboard(client, learner):
    client.force_login(learner)
    client.post(reverse("onboarding_step", kwargs={"step": "interests"}), {"skip_all": "1"})
    assert LearnerProfile.objects.get(user=learner).onboarding_skipped
    client.logout()
    assert _sign_in(client, learner)["Location"] == "/dashboard/"


def test_the_first_screen_says_why_we_ask_and_resumes_where_left(client, learner):
    client.force_login(learner)
    assert client.get("/onboarding/")["Location"] == "/onboarding/interests/"
    page = client.get("/onboarding/interests/")
    assert b"Why we ask" in page.content
    cloud = a_category()
    response = client.post("/onboarding/interests/", {"interests": [cloud.pk]})
    assert response["Location"] == "/onboarding/goals/"
    assert list(LearnerProfile.objects.get(user=learner).interests.all()) == [cloud]
    # Coming back later resumes at the goals step.
    assert client.get("/onboarding/")["Location"] == "/onboarding/goals/"
    assert (
        client.post("/onboarding/goals/", {"skip": "1", "goals-TOTAL_FORMS": "x"})["Location"] == "/onboarding/levels/"
    )
    response = client.post("/onboarding/levels/", {f"level_{cloud.pk}": "2"})
    assert response["Location"] == "/onboarding/preferences/"
    assert SkillLevel.objects.get(learner=learner).level == 2
    german = Language.objects.get_or_create(code="de", defaults={"name": "German"})[0]
    response = client.post(
        "/onboarding/preferences/",
        {
            "session_minutes": "60",
            "currency": "EUR",
            "budget_min": "20",
            "budget_max": "80.50",
            "languages": [german.pk],
            "times_of_day": ["evening"],
        },
    )
    assert response["Location"] == "/dashboard/progress/"
    profile = LearnerProfile.objects.get(user=learner)
    assert (profile.budget_min_minor, profile.budget_max_minor, profile.times_of_day) == (2000, 8050, ["evening"])
    assert profile.onboarding_finished_at is not None and not profile.onboarding_skipped


def _goals(*rows, total=None):
    data = {"goals-TOTAL_FORMS": str(total or len(rows)), "goals-INITIAL_FORMS": "0"}
    for index, (title, day) in enumerate(rows):
        data[f"goals-{index}-title"] = title
        data[f"goals-{index}-target_date"] = day
    return data


def test_goals_step_saves_up_to_three_and_refuses_a_fourth_a_past_date_and_a_date_without_goal(client, learner):
    client.force_login(learner)
    future = (timezone.localdate() + timedelta(days=30)).isoformat()
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    four = _goals(("A", future), ("B", future), ("C", future), ("D", future))
    assert client.post("/onboarding/goals/", four).status_code == 400
    response = client.post("/onboarding/goals/", _goals(("Learn Go", past)))
    assert response.status_code == 400 and b"today or later" in response.content
    response = client.post("/onboarding/goals/", _goals(("", future)))
    assert response.status_code == 400
    assert Goal.objects.count() == 0
    response = client.post("/onboarding/goals/", _goals(("Learn Go", future), ("<b>Ship</b> it", "")))
    assert response["Location"] == "/onboarding/levels/"
    assert sorted(Goal.objects.filter(learner=learner).values_list("title", flat=True)) == [
        "<b>Ship</b> it",
        "Learn Go",
    ]


def test_a_tampered_level_or_budget_is_refused(client, learner):
    cloud = a_category()
    client.force_login(learner)
    client.post("/onboarding/interests/", {"interests": [cloud.pk]})
    assert client.post("/onboarding/levels/", {f"level_{cloud.pk}": "9"}).status_code == 400
    assert client.post("/onboarding/levels/", {f"level_{cloud.pk}": "x"}).status_code == 400
    assert SkillLevel.objects.count() == 0
    bad_budget = {"currency": "EUR", "budget_min": "90", "budget_max": "10"}
    assert client.post("/onboarding/preferences/", bad_budget).status_code == 400
    assert client.post("/onboarding/preferences/", {"currency": "XXX"}).status_code == 400
    assert client.post("/onboarding/interests/", {"interests": ["999999"]}).status_code == 400
    assert client.get("/onboarding/nope/").status_code == 404


def test_editing_a_step_later_returns_to_the_goals_page_and_refuses_an_outside_next(client, learner):
    client.force_login(learner)
    response = client.post("/onboarding/interests/?next=/dashboard/goals/", {"next": "https://evil.example/"})
    assert response["Location"] == "/dashboard/goals/"
    response = client.post("/onboarding/interests/", {"next": "/dashboard/goals/"})
    assert response["Location"] == "/dashboard/goals/"
