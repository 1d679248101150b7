"""``/api/v1/packages/``: the learner's packages and credits, read only, their own only, constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.billing.packages.builders import paid_purchase
from tests.factories import ExpertUserFactory, UserFactory

from .conftest import token_client

pytestmark = pytest.mark.django_db


def test_the_learner_sees_their_packages_and_credits():
    learner, expert = UserFactory(), ExpertUserFactory(full_name="Ada Lovelace")
    purchase = paid_purchase(learner=learner, expert=expert, price=10_000)
    body = token_client(learner, "read").get("/api/v1/packages/").json()
    (item,) = body["results"]
    assert item["id"] == purchase.pk and item["expert_name"] == "Ada Lovelace"
    assert (item["sessions"], item["used"], item["left"], item["price_minor"]) == (3, 0, 3, 10_000)
    assert [credit["status"] for credit in item["credits"]] == ["available"] * 3
    assert item["status"] == "paid" and item["expires_at"]


def test_another_learners_packages_are_not_listed_and_visitors_are_refused():
    learner, expert = UserFactory(), ExpertUserFactory()
    paid_purchase(learner=learner, expert=expert)
    body = token_client(UserFactory(), "read").get("/api/v1/packages/").json()
    assert (body["results"]) == []
    assert APIClient().get("/api/v1/packages/").status_code == 401
    # Read only: writing is not allowed.
    assert token_client(learner).post("/api/v1/packages/", {}).status_code == 405


def test_the_list_costs_the_same_queries_for_more_packages():
    learner = UserFactory()
    client = token_client(learner, "read")
    paid_purchase(learner=learner, expert=ExpertUserFactory())
    client.get("/api/v1/packages/")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/packages/").status_code == 200
    for _ in range(4):
        paid_purchase(learner=learner, expert=ExpertUserFactory())
    with CaptureQueriesContext(connection) as five:
        client.get("/api/v1/packages/")
    assert len(five) == len(one)
