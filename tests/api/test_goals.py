"""``goals/`` over the API: the learner's own goals and milestones, problem details for every refusal."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from learning.models import Goal, Milestone
from tests.factories import UserFactory
from tests.learning.helpers import a_goal, a_milestone

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(learner):
    client = APIClient()
    client.force_authenticate(learner)
    return client


def test_list_create_update_and_milestones(api, learner):
    future = (timezone.localdate() + timedelta(days=40)).isoformat()
    created = api.post("/api/v1/goals/", {"title": "Learn Rust", "target_date": future}, format="json")
    assert created.status_code == 201, created.content
    goal_id = created.json()["id"]
    assert api.get("/api/v1/goals/").json()[0]["title"] == "Learn Rust"
    response = api.post(f"/api/v1/goals/{goal_id}/milestones/", {"title": "Finish the book"}, format="json")
    assert response.status_code == 201
    milestone_id = response.json()["id"]
    response = api.patch(f"/api/v1/milestones/{milestone_id}/", {"done": True}, format="json")
    assert response.json()["done"] is True
    response = api.patch(f"/api/v1/goals/{goal_id}/", {"status": "achieved"}, format="json")
    assert response.json()["status"] == "achieved" and response.json()["target_date"] == future


def test_wrong_inputs_are_problems_and_change_nothing(api, learner):
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = api.post("/api/v1/goals/", {"title": "x", "target_date": past}, format="json")
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    assert api.post("/api/v1/goals/", {"title": ""}, format="json").status_code == 400
    assert api.post("/api/v1/goals/", {"title": "x", "learner": 1}, format="json").status_code == 400
    for title in "ABC":
        a_goal(learner, title=title, milestones=())
    response = api.post("/api/v1/goals/", {"title": "D"}, format="json")
    assert response.status_code == 422 and response.json()["code"] == "too_many_goals"
    assert Goal.objects.count() == 3
    milestone = Milestone.objects.create(goal=Goal.objects.first(), title="Suggested", state="suggested")
    assert api.patch(f"/api/v1/milestones/{milestone.pk}/", {"done": True}, format="json").status_code == 422
    assert api.patch(f"/api/v1/milestones/{milestone.pk}/", {}, format="json").status_code == 400


def test_another_learners_ids_are_the_unknown_ids_404(api):
    goal = a_goal(UserFactory())
    milestone = a_milestone(goal)
    for call in (
        lambda: api.get(f"/api/v1/goals/{goal.pk}/"),
        lambda: api.patch(f"/api/v1/goals/{goal.pk}/", {"title": "mine"}, format="json"),
        lambda: api.post(f"/api/v1/goals/{goal.pk}/milestones/", {"title": "x"}, format="json"),
        lambda: api.patch(f"/api/v1/milestones/{milestone.pk}/", {"done": True}, format="json"),
    ):
        response = call()
        assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
    goal.refresh_from_db()
    milestone.refresh_from_db()
    assert goal.title == "Pass the AWS exam" and milestone.done_at is None
    assert APIClient().get("/api/v1/goals/").status_code == 401
