"""The operations console's money lists (/admin/ops/money/...): finance sees them, support does not; the
totals by currency equal the ledger exactly; constant queries with 5 and 50 payments."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.models import Payment
from billing.selectors import ledger_platform_balances
from billing.services.staff_cancellation import booking_cancel_by_staff_with_refund
from tests.factories import ExpertUserFactory, UserFactory

pytestmark = pytest.mark.django_db

PAYMENTS = "/admin/ops/money/payments/"


@pytest.fixture(autouse=True)
def groups(db):
    call_command("ops_groups", stdout=open("/dev/null", "w"))  # noqa: SIM115


def member(group):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def totals(response) -> dict[str, tuple[int, int]]:
    rows = re.findall(
        r'data-currency="(\w+)" data-received="(-?\d+)" data-refunded="(-?\d+)"', response.content.decode()
    )
    return {currency: (int(received), int(refunded)) for currency, received, refunded in rows}


def ledger() -> dict[str, tuple[int, int]]:
    balances = ledger_platform_balances()
    currencies = {currency for (_kind, currency) in balances}
    return {c: (-balances.get(("learner_payments", c), 0), balances.get(("refunds", c), 0)) for c in currencies}


def test_the_totals_match_the_ledger_before_and_after_a_refund(client, paid, ada, django_capture_on_commit_callbacks):
    client.force_login(member("Finance"))
    before = client.get(PAYMENTS)
    assert before.status_code == 200
    assert totals(before) == ledger() == {"EUR": (8000, 0)}
    staff = member("Support")
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel_by_staff_with_refund(booking=paid, by=staff, reason="Duplicate")
    assert totals(client.get(PAYMENTS)) == ledger() == {"EUR": (8000, 8000)}
    refunds = client.get("/admin/ops/money/refunds/")
    assert totals(refunds) == {"EUR": (8000, 8000)} and paid.learner.email in refunds.content.decode()
    disputes = client.get("/admin/ops/money/disputes/")
    assert totals(disputes) == {} and "No payments match." in disputes.content.decode()


@pytest.mark.parametrize(
    ("who", "expected"), [("Finance", 200), ("Administrators", 200), ("Support", 302), ("Content editors", 302)]
)
def test_only_finance_sees_money(client, who, expected):
    client.force_login(member(who))
    for url in (PAYMENTS, "/admin/ops/money/refunds/", "/admin/ops/money/disputes/"):
        assert client.get(url).status_code == expected
    shown = "/admin/ops/money/payments/" in client.get("/admin/").content.decode()
    assert shown is (expected == 200)


def test_anonymous_and_learners_go_to_the_login(client):
    assert "/login/" in client.get(PAYMENTS)["Location"]
    client.force_login(UserFactory())
    assert "/login/" in client.get(PAYMENTS)["Location"]


def test_bad_filters_are_not_a_500(client):
    client.force_login(member("Finance"))
    for query in (
        {"status": "x"},
        {"created_at_from": "2026-13-45"},
        {"currency": "€€€€"},
        {"q": "'" * 300},
        {"p": "-1"},
    ):
        assert client.get(PAYMENTS, query).status_code in (200, 404)


def test_a_constant_number_of_queries(client):
    client.force_login(member("Finance"))
    payer, payee = UserFactory(), ExpertUserFactory()

    def count(n):
        Payment.objects.all().delete()
        for i in range(n):
            Payment.objects.create(
                reference=f"booking-x{i}",
                payer=payer,
                payee=payee,
                amount_minor=1000 + i,
                currency="EUR" if i % 2 else "USD",
                commission_rate_bp=1500,
                status=Payment.Status.SUCCEEDED,
                idempotency_key=f"key-{n}-{i}",
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(PAYMENTS)
        assert response.status_code == 200
        return len(queries), totals(response)

    five, fifty = count(5), count(50)
    assert five[0] == fifty[0]
    assert fifty[1]["EUR"][0] == sum(1000 + i for i in range(50) if i % 2)
