"""Bad input on every kind of list and body: a problem-details 4xx naming what is wrong, never a 500."""

import pytest
from rest_framework.test import APIClient

from tests.factories import UserFactory

from .conftest import problem_of, token_client

pytestmark = pytest.mark.django_db

# One list of each pagination kind, as its owner would call it.
LEARNER_LISTS = ["/api/v1/bookings/", "/api/v1/threads/"]
EXPERT_LISTS = ["/api/v1/expert/sessions/", "/api/v1/expert/earnings/", "/api/v1/expert/withdrawals/"]


@pytest.mark.parametrize("size", ["0", "51", "100000", "x", str(10**40)])
def test_every_list_refuses_a_page_size_outside_1_to_50(learner, ada, size):
    for url in LEARNER_LISTS:
        body = problem_of(token_client(learner).get(url, {"page_size": size}), 400, "invalid")
        assert [error["field"] for error in body["errors"]] == ["page_size"], url
    for url in EXPERT_LISTS:
        body = problem_of(token_client(ada.user).get(url, {"page_size": size}), 400, "invalid")
        assert [error["field"] for error in body["errors"]] == ["page_size"], url
    slug = ada.pages.first().slug
    problem_of(APIClient().get(f"/api/v1/experts/{slug}/reviews/", {"page_size": size}), 400, "invalid")


def test_the_bounds_themselves_are_served(learner):
    client = token_client(learner)
    assert client.get("/api/v1/bookings/", {"page_size": 1}).status_code == 200
    assert client.get("/api/v1/bookings/", {"page_size": 50}).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        "{nope",
        '{"title": "a",}',
        "[1, 2",
        '{"title": "\\ud800"}',  # a lone surrogate
        "\xff\xfe",
    ],
)
def test_malformed_json_is_a_400_malformed_request_and_changes_nothing(learner, body):
    client = token_client(learner)
    response = client.post("/api/v1/goals/", body.encode("utf-8", "surrogatepass"), content_type="application/json")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json", response.content
    assert response.json()["code"] in ("malformed_request", "invalid")
    assert client.get("/api/v1/goals/").json() == []


@pytest.mark.parametrize(
    "body, field",
    [
        ({"title": ["a"]}, "title"),
        ({"title": {"a": 1}}, "title"),
        ({"title": "Learn", "target_date": 20300101}, "target_date"),
        ({"title": "Learn", "target_date": "9999-99-99"}, "target_date"),
        ({"title": "Learn", "target_date": "0000-01-01"}, "target_date"),
        ({"title": "Learn", "owner": 1}, "owner"),
    ],
)
def test_wrong_types_out_of_range_dates_and_unknown_fields_are_400s(learner, body, field):
    client = token_client(learner)
    problem = problem_of(client.post("/api/v1/goals/", body, format="json"), 400, "invalid")
    assert field in [error["field"] for error in problem["errors"]]


def test_a_body_that_is_not_an_object_is_a_400(learner):
    client = token_client(learner)
    for body in ("[]", '"text"', "42", "null"):
        response = client.post("/api/v1/goals/", body, content_type="application/json")
        problem_of(response, 400, response.json()["code"])


def test_another_users_goal_is_a_404_like_an_unknown_one(learner):
    other = token_client(UserFactory())
    goal = token_client(learner).post("/api/v1/goals/", {"title": "Mine"}, format="json").json()
    problem_of(other.get(f"/api/v1/goals/{goal['id']}/"), 404, "not_found")
    problem_of(other.patch(f"/api/v1/goals/{goal['id']}/", {"title": "x"}, format="json"), 404, "not_found")
    problem_of(other.get("/api/v1/goals/99999999999999999999/"), 404, "not_found")
