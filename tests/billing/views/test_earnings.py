"""The expert's earnings, withdrawal and payout screens: who may see them, what they show, the CSV,
query counts, tampered input, and the payout account's onboarding and webhook sync (Stripe Connect
mocked at its HTTP boundary)."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from billing.models import LedgerTransaction, PayoutAccount, Withdrawal
from billing.selectors import expert_balances
from billing.services.earnings import earnings_release_due
from billing.views.earnings import csv_safe
from core.models import OutboxMessage
from core.outbox import outbox_drain
from tests.builders import bookable_expert
from tests.factories import ExpertUserFactory, UserFactory

from ..money_builders import API, account_json, account_link_json, past_paid_session, ready_payout_account
from ..webhook_payloads import deliver, event

pytestmark = pytest.mark.django_db

URLS = ["expert_earnings", "expert_earnings_csv", "expert_payouts", "expert_payouts_return", "expert_payouts_refresh"]


@pytest.fixture
def expert():
    """An expert with one 60-minute session (EUR 80, their share 68.00) paid and past the hold period."""
    session_type = bookable_expert(price="80")
    payment = past_paid_session(expert=session_type.profile.user, ended_days_ago=9, session_type=session_type)
    return payment.payee


@pytest.mark.parametrize("name", URLS + ["expert_withdrawal_create"])
def test_anonymous_visitors_go_to_the_login_page_and_learners_are_refused(client, name):
    response = client.get(reverse(name)) if name != "expert_withdrawal_create" else client.post(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory())
    response = client.get(reverse(name)) if name != "expert_withdrawal_create" else client.post(reverse(name))
    assert response.status_code == 403


def test_another_expert_sees_only_their_own_empty_earnings(client, expert):
    other = ExpertUserFactory()
    client.force_login(other)
    page = client.get(reverse("expert_earnings")).content.decode()
    assert "No earnings yet" in page and "No movements yet" in page
    assert "payment-" not in page
    rows = list(csv.reader(io.StringIO(client.get(reverse("expert_earnings_csv")).content.decode())))
    assert len(rows) == 1  # the header only
    assert client.post(reverse("expert_withdrawal_create"), {"amount": "50", "currency": "EUR"}).status_code == 302
    assert not Withdrawal.objects.exists()


def test_balances_movements_and_chart_come_from_the_ledger(client, expert):
    past_paid_session(expert=expert, ended_days_ago=2)
    earnings_release_due()
    client.force_login(expert)
    page = client.get(reverse("expert_earnings")).content.decode()
    assert "€68.00" in page  # pending (the recent session) and available (the released one)
    assert 'data-balance="available-EUR">€68.00' in page
    assert "data:image/svg+xml;base64," in page and 'id="earnings-by-month"' in page and "60 min" in page
    assert "€12.00" in page  # TapTime's fee on a session row
    filtered = client.get(reverse("expert_earnings"), {"type": "release"}).content.decode()
    assert filtered.count(":release</td>") == 1 and "€80.00" not in filtered


@pytest.mark.parametrize(
    "query",
    [
        {"type": "nonsense"},
        {"currency": "XXX"},
        {"since": "not-a-date"},
        {"since": "2026-05-01", "until": "2026-01-01"},
        {"page": "999999"},
        {"page": "-1"},
        {"page": "x" * 500},
        {"since": "9999-12-31"},
    ],
)
def test_bad_filters_never_fail(client, expert, query):
    client.force_login(expert)
    assert client.get(reverse("expert_earnings"), query).status_code == 200
    assert client.get(reverse("expert_earnings_csv"), query).status_code == 200


def test_the_csv_has_every_movement_and_cannot_carry_a_formula(client, expert):
    earnings_release_due()
    client.force_login(expert)
    response = client.get(reverse("expert_earnings_csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Date", "Type", "Reference"]
    kinds = sorted(row[1] for row in rows[1:])
    assert kinds == ["Became available", "Session"]
    session = next(row for row in rows[1:] if row[1] == "Session")
    assert session[3:7] == ["EUR", "80.00", "12.00", "68.00"]
    assert csv_safe('=HYPERLINK("http://evil")') == '\'=HYPERLINK("http://evil")'
    assert csv_safe("@SUM(A1)") == "'@SUM(A1)" and csv_safe("+1+1") == "'+1+1"
    assert csv_safe("-12.50") == "-12.50" and csv_safe("payment-3") == "payment-3"


def _movements(expert, n):
    for _ in range(n):
        past_paid_session(expert=expert, ended_days_ago=9)
    earnings_release_due()


def test_the_earnings_page_and_csv_cost_the_same_queries_for_5_and_50_movements(client):
    counts = []
    for n in (5, 50):
        expert = ExpertUserFactory()
        _movements(expert, n // 2 if n == 50 else 3)
        client.force_login(expert)
        client.get(reverse("expert_earnings"))  # warm the settings cache
        with CaptureQueriesContext(connection) as page:
            assert client.get(reverse("expert_earnings")).status_code == 200
        with CaptureQueriesContext(connection) as export:
            assert client.get(reverse("expert_earnings_csv")).status_code == 200
        counts.append((len(page), len(export)))
        assert LedgerTransaction.objects.filter(entries__account__owner=expert).distinct().count() >= (
            5 if n == 5 else 50
        )
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize(
    "data, message",
    [
        ({"amount": "10.00", "currency": "EUR"}, "The smallest withdrawal is €20.00."),
        ({"amount": "68.01", "currency": "EUR"}, "You can withdraw at most €68.00."),
        ({"amount": "20.005", "currency": "EUR"}, "EUR has 2 decimal places."),
        ({"amount": "50", "currency": "USD"}, "Select a valid choice."),
        ({"amount": "-50", "currency": "EUR"}, "Ensure this value is greater than or equal to 0.01."),
        ({"amount": "1e400", "currency": "EUR"}, ""),
        ({"amount": "abc", "currency": "EUR"}, "Enter a number."),
        ({"amount_minor": "1", "currency": "EUR"}, "This field is required."),
        ({}, "This field is required."),
    ],
)
def test_tampered_or_wrong_withdrawals_are_refused_with_a_message(client, expert, data, message):
    earnings_release_due()
    ready_payout_account(expert)
    client.force_login(expert)
    response = client.post(reverse("expert_withdrawal_create"), data, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Withdrawal.objects.exists()
    assert expert_balances(expert=expert)[0].available == 6_800


def test_a_withdrawal_request_from_the_page(client, expert):
    earnings_release_due()
    ready_payout_account(expert)
    client.force_login(expert)
    response = client.post(reverse("expert_withdrawal_create"), {"amount": "50.00", "currency": "EUR"}, follow=True)
    assert "We received your request to withdraw €50.00" in response.content.decode()
    (withdrawal,) = Withdrawal.objects.all()
    assert (withdrawal.expert, withdrawal.amount_minor, withdrawal.status) == (expert, 5_000, "requested")
    assert 'data-status="requested"' in response.content.decode()


def test_withdrawal_requests_are_rate_limited(client, expert):
    earnings_release_due()
    ready_payout_account(expert)
    client.force_login(expert)
    for _ in range(10):
        client.post(reverse("expert_withdrawal_create"), {"amount": "1.00", "currency": "EUR"})
    response = client.post(reverse("expert_withdrawal_create"), {"amount": "20.00", "currency": "EUR"}, follow=True)
    assert "Too many withdrawal requests" in response.content.decode()
    assert not Withdrawal.objects.exists()


def test_connecting_payouts_creates_one_express_account_and_sends_the_expert_to_stripe(client, expert, stripe_api):
    stripe_api.post(f"{API}/v1/accounts", json=account_json("acct_1Ada", ready=False, due=["individual.dob.day"]))
    stripe_api.post(f"{API}/v1/account_links", json=account_link_json("acct_1Ada"))
    client.force_login(expert)
    assert "You have no payout account yet" in client.get(reverse("expert_payouts")).content.decode()
    response = client.post(reverse("expert_payouts"))
    assert response.status_code == 302
    assert response["Location"] == "https://connect.stripe.com/setup/e/acct_1Ada/abc123"
    account = PayoutAccount.objects.get(expert=expert)
    assert account.stripe_account_id == "acct_1Ada" and not account.ready
    create, link = stripe_api.calls
    assert create.request.headers["Idempotency-Key"] == f"user-{expert.pk}-connect-account-v1"
    assert "type=express" in create.request.body and "capabilities" in create.request.body
    assert "type=account_onboarding" in link.request.body
    assert "expert%2Fpayouts%2Frefresh%2F" in link.request.body and "expert%2Fpayouts%2Freturn%2F" in link.request.body
    client.post(reverse("expert_payouts"))  # again: a new link, no second account
    assert [call.request.url for call in stripe_api.calls].count(f"{API}/v1/accounts") == 1
    page = client.get(reverse("expert_payouts")).content.decode()
    assert "individual.dob.day" in page and "Continue on Stripe" in page


def test_the_return_url_re_reads_the_account_and_ignores_the_query_string(client, expert, stripe_api):
    ready_payout_account(expert, account_id="acct_1Ada", ready=False)
    stripe_api.get(f"{API}/v1/accounts/acct_1Ada", json=account_json("acct_1Ada", ready=True))
    client.force_login(expert)
    response = client.get(reverse("expert_payouts_return") + "?payouts_enabled=true&account=acct_other", follow=True)
    assert "Your payout account is ready." in response.content.decode()
    assert PayoutAccount.objects.get(expert=expert).ready


def test_the_refresh_url_mints_a_new_link_only_for_an_existing_account(client, expert, stripe_api):
    client.force_login(expert)
    assert client.get(reverse("expert_payouts_refresh"))["Location"] == reverse("expert_payouts")
    assert not stripe_api.calls
    ready_payout_account(expert, account_id="acct_1Ada", ready=False)
    stripe_api.post(f"{API}/v1/account_links", json=account_link_json("acct_1Ada"))
    assert client.get(reverse("expert_payouts_refresh"))["Location"].startswith("https://connect.stripe.com/")


def test_stripe_failing_to_answer_shows_a_message_not_an_error(client, expert, stripe_api):
    stripe_api.post(f"{API}/v1/accounts", status=500, json={"error": {"type": "api_error", "message": "down"}})
    client.force_login(expert)
    response = client.post(reverse("expert_payouts"), follow=True)
    assert response.status_code == 200 and "could not complete the request" in response.content.decode()
    assert not PayoutAccount.objects.exists()


def test_account_updated_webhook_syncs_the_status_through_the_outbox(client, expert, stripe_api):
    ready_payout_account(expert, account_id="acct_1Ada", ready=False)
    current = account_json("acct_1Ada", ready=False, due=["external_account"], disabled_reason="requirements.past_due")
    stripe_api.get(f"{API}/v1/accounts/acct_1Ada", json=current)
    payload = event("evt_acct_1", "account.updated", account_json("acct_1Ada", ready=True))  # the body is not trusted
    payload["account"] = "acct_1Ada"
    assert deliver(client, payload).status_code == 200
    assert OutboxMessage.objects.filter(handler="billing.tasks.payout_account_refresh").count() == 1
    outbox_drain(now=timezone.now() + timedelta(seconds=1))
    account = PayoutAccount.objects.get(expert=expert)
    assert not account.ready and account.requirements_due == ["external_account"]
    assert account.disabled_reason == "requirements.past_due"
    assert deliver(client, payload).status_code == 200  # a redelivery queues nothing new
    assert OutboxMessage.objects.filter(handler="billing.tasks.payout_account_refresh").count() == 1


def test_the_payouts_page_lets_its_form_lead_to_stripe_and_nowhere_else(client, expert):
    client.force_login(expert)
    policy = client.get(reverse("expert_payouts"))["Content-Security-Policy"]
    form_action = next(part for part in policy.split(";") if "form-action" in part)
    assert form_action.split() == ["form-action", "'self'", "https://connect.stripe.com"]
    earnings_policy = client.get(reverse("expert_earnings"))["Content-Security-Policy"]
    assert "connect.stripe.com" not in earnings_policy
