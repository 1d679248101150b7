"""The expert's earnings and withdrawals over the API: own data only, problem details, cursor pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from billing.models import Withdrawal
from billing.services.earnings import earnings_release_due
from tests.billing.money_builders import past_paid_session, ready_payout_account
from tests.factories import ExpertUserFactory, UserFactory

from .conftest import problem_of, token_client

pytestmark = pytest.mark.django_db

EARNINGS = "/api/v1/expert/earnings/"
WITHDRAWALS = "/api/v1/expert/withdrawals/"


@pytest.fixture
def expert():
    payment = past_paid_session(ended_days_ago=9)
    earnings_release_due()
    return payment.payee


@pytest.mark.parametrize("url", [EARNINGS, WITHDRAWALS])
def test_only_experts_with_the_scope_and_never_anonymous(expert, url):
    problem_of(APIClient().get(url), 401, "not_authenticated")
    problem_of(token_client(UserFactory(), "read", "book", "expert").get(url), 403, "permission_denied")
    problem_of(token_client(expert, "read", "book").get(url), 403, "insufficient_scope")
    problem_of(APIClient().post(url, {}, format="json"), 401, "not_authenticated")


def test_earnings_are_the_callers_own_with_balances_and_movements(expert):
    body = token_client(expert, "expert").get(EARNINGS).json()
    assert body["balances"] == [
        {"currency": "EUR", "pending_minor": 0, "available_minor": 6_800, "withdrawing_minor": 0, "paid_out_minor": 0}
    ]
    assert [row["type"] for row in body["results"]] == ["release", "session"]
    session = body["results"][1]
    assert (session["gross_minor"], session["fee_minor"], session["pending_minor"]) == (8_000, 1_200, 6_800)
    other = token_client(ExpertUserFactory(), "expert").get(EARNINGS).json()
    assert other == {"balances": [], "next": None, "previous": None, "results": []}
    assert token_client(expert, "expert").get(EARNINGS, {"type": "payout"}).json()["results"] == []


def test_movements_page_with_a_cursor_and_constant_queries():
    counts = []
    for n in (5, 50):
        expert = ExpertUserFactory()
        for _ in range(n):
            past_paid_session(expert=expert, ended_days_ago=9)
        client = token_client(expert, "expert")
        with CaptureQueriesContext(connection) as queries:
            first = client.get(EARNINGS, {"page_size": 4}).json()
        counts.append(len(queries))
        assert len(first["results"]) == 4 and first["next"]
        second = client.get(first["next"]).json()
        assert {row["id"] for row in first["results"]}.isdisjoint(row["id"] for row in second["results"])
    assert counts[0] == counts[1]
    problem_of(client.get(EARNINGS, {"cursor": "garbage"}), 404, "not_found")


def test_a_withdrawal_over_the_api_and_its_refusals(expert):
    client = token_client(expert, "expert")
    problem_of(
        client.post(WITHDRAWALS, {"amount_minor": 5_000, "currency": "EUR"}, format="json"), 409, "no_payout_account"
    )
    ready_payout_account(expert)
    problem_of(client.post(WITHDRAWALS, {"amount_minor": 100, "currency": "EUR"}, format="json"), 422, "below_minimum")
    problem_of(
        client.post(WITHDRAWALS, {"amount_minor": 6_801, "currency": "EUR"}, format="json"), 409, "insufficient_funds"
    )
    problem_of(client.post(WITHDRAWALS, {"amount_minor": 5_000, "currency": "eur"}, format="json"), 400, "invalid")
    problem_of(client.post(WITHDRAWALS, {"amount_minor": "50.5", "currency": "EUR"}, format="json"), 400, "invalid")
    problem_of(
        client.post(WITHDRAWALS, {"amount_minor": 5_000, "currency": "JPY"}, format="json"), 409, "insufficient_funds"
    )
    problem_of(client.post(WITHDRAWALS, {"amount_minor": 5_000, "currency": "ABC"}, format="json"), 422, "bad_currency")
    assert not Withdrawal.objects.exists()
    created = client.post(
        WITHDRAWALS, {"amount_minor": 5_000, "currency": "EUR"}, format="json", HTTP_IDEMPOTENCY_KEY="w-1"
    )
    assert created.status_code == 201 and created.json()["status"] == "requested"
    again = client.post(
        WITHDRAWALS, {"amount_minor": 5_000, "currency": "EUR"}, format="json", HTTP_IDEMPOTENCY_KEY="w-1"
    )
    assert again.status_code == 201 and again.json()["id"] == created.json()["id"]
    assert Withdrawal.objects.count() == 1
    listed = client.get(WITHDRAWALS).json()
    assert [row["amount_minor"] for row in listed["results"]] == [5_000]
    assert token_client(ExpertUserFactory(), "expert").get(WITHDRAWALS).json()["results"] == []
