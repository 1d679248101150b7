"""``transfer.reversed``: a paid withdrawal's transfer reversed at Stripe comes back to available and the
expert is told; signed like Stripe's, the body untrusted (the transfer is re-read), idempotent on replay."""

from datetime import timedelta

import pytest
import responses
from django.core import mail
from django.utils import timezone

from billing.models import Withdrawal
from billing.selectors import expert_balances
from billing.services.earnings import earnings_release_due
from billing.services.transfer_reversals import withdrawal_transfer_reversed
from billing.services.withdrawals import withdrawal_approve, withdrawal_request
from core.models import OutboxMessage
from core.outbox import outbox_drain

from .money_builders import (
    API,
    approver,
    ledger_totals_are_zero,
    no_expert_balance_negative,
    past_paid_session,
    ready_payout_account,
    transfer_json,
)
from .webhook_payloads import deliver, event

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_withdrawal(stripe_api):
    """EUR 100.00 withdrawn and paid out by transfer tr_1Rev (EUR 36.00 left available)."""
    payment = past_paid_session(ended_days_ago=9)
    past_paid_session(expert=payment.payee, ended_days_ago=9)
    earnings_release_due()
    ready_payout_account(payment.payee)
    withdrawal = withdrawal_request(expert=payment.payee, amount_minor=10_000, currency="EUR")
    stripe_api.post(
        f"{API}/v1/transfers",
        json=transfer_json(
            "tr_1Rev", amount=10_000, destination=withdrawal.payout_account.stripe_account_id, group="g"
        ),
    )
    withdrawal = withdrawal_approve(withdrawal=withdrawal, by=approver())
    assert withdrawal.status == Withdrawal.Status.PAID
    outbox_drain()
    mail.outbox.clear()
    return withdrawal


def reversed_transfer(withdrawal, amount_reversed):
    body = transfer_json("tr_1Rev", amount=10_000, destination=withdrawal.payout_account.stripe_account_id, group="g")
    body["amount_reversed"] = amount_reversed
    body["reversed"] = amount_reversed == 10_000
    body["reversals"]["data"] = [
        {
            "id": "trr_1Rev",
            "object": "transfer_reversal",
            "amount": amount_reversed,
            "currency": "eur",
            "transfer": "tr_1Rev",
            "metadata": {},
        }
    ]
    return body


def balance_transaction_json():
    """``GET /v1/balance_transactions/txn_1Test``: dj-stripe syncs the transfer of the event and its balance transaction."""
    return {
        "id": "txn_1Test",
        "object": "balance_transaction",
        "amount": -10_000,
        "available_on": 1_790_000_000,
        "created": 1_790_000_000,
        "currency": "eur",
        "description": None,
        "exchange_rate": None,
        "fee": 0,
        "fee_details": [],
        "net": -10_000,
        "reporting_category": "transfer",
        "source": "tr_1Rev",
        "status": "available",
        "type": "transfer",
    }


def balances(withdrawal):
    (row,) = expert_balances(expert=withdrawal.expert)
    return row.available, row.paid_out


def test_a_signed_transfer_reversed_event_books_the_money_back_and_tells_the_expert_once(
    client, paid_withdrawal, stripe_api
):
    stripe_api.get(f"{API}/v1/transfers/tr_1Rev", json=reversed_transfer(paid_withdrawal, 10_000))
    stripe_api.get(f"{API}/v1/balance_transactions/txn_1Test", json=balance_transaction_json())
    # The body claims less; only what Stripe answers on the re-read counts.
    payload = event("evt_rev_1", "transfer.reversed", reversed_transfer(paid_withdrawal, 1))
    assert deliver(client, payload).status_code == 200
    assert OutboxMessage.objects.filter(handler="billing.tasks.withdrawal_transfer_reversed").count() == 1
    outbox_drain(now=timezone.now() + timedelta(seconds=1))
    outbox_drain(now=timezone.now() + timedelta(seconds=2))
    paid_withdrawal.refresh_from_db()
    assert paid_withdrawal.status == Withdrawal.Status.REVERSED and paid_withdrawal.reversed_minor == 10_000
    assert balances(paid_withdrawal) == (13_600, 0)
    (sent,) = mail.outbox
    assert sent.to == [paid_withdrawal.expert.email] and "€100.00" in sent.subject
    # A replayed delivery and a second run of the handler change nothing and send nothing.
    assert deliver(client, payload).status_code == 200
    withdrawal_transfer_reversed(transfer_id="tr_1Rev")
    outbox_drain(now=timezone.now() + timedelta(seconds=3))
    assert balances(paid_withdrawal) == (13_600, 0) and len(mail.outbox) == 1
    assert ledger_totals_are_zero() and no_expert_balance_negative()


def test_a_partial_reversal_then_the_rest_books_only_the_difference(paid_withdrawal, stripe_api):
    stripe_api.get(f"{API}/v1/transfers/tr_1Rev", json=reversed_transfer(paid_withdrawal, 4_000))
    assert withdrawal_transfer_reversed(transfer_id="tr_1Rev").status == Withdrawal.Status.PAID
    assert balances(paid_withdrawal) == (7_600, 6_000)
    stripe_api.replace(responses.GET, f"{API}/v1/transfers/tr_1Rev", json=reversed_transfer(paid_withdrawal, 10_000))
    assert withdrawal_transfer_reversed(transfer_id="tr_1Rev").status == Withdrawal.Status.REVERSED
    assert balances(paid_withdrawal) == (13_600, 0)
    assert ledger_totals_are_zero()


def test_an_unknown_transfer_or_a_badly_signed_event_changes_nothing(client, paid_withdrawal, stripe_api):
    assert withdrawal_transfer_reversed(transfer_id="tr_NotOurs") is None
    payload = event("evt_rev_bad", "transfer.reversed", reversed_transfer(paid_withdrawal, 10_000))
    response = deliver(client, payload, secret="whsec_wrong")
    assert response.status_code == 400
    assert not OutboxMessage.objects.filter(handler="billing.tasks.withdrawal_transfer_reversed").exists()
    assert balances(paid_withdrawal) == (3_600, 10_000)


def test_a_transfer_read_back_in_another_currency_books_nothing(paid_withdrawal, stripe_api):
    body = reversed_transfer(paid_withdrawal, 10_000)
    body["currency"] = "usd"
    stripe_api.get(f"{API}/v1/transfers/tr_1Rev", json=body)
    assert withdrawal_transfer_reversed(transfer_id="tr_1Rev").status == Withdrawal.Status.PAID
    assert balances(paid_withdrawal) == (3_600, 10_000)
