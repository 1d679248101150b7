"""Withdrawals: request checks, staff approval with a Connect transfer (mocked at Stripe's HTTP
boundary), rejection, a refused transfer and one whose outcome is unknown."""

import json

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from wagtail.models import ModelLogEntry

from billing.errors import WithdrawalError
from billing.models import Withdrawal
from billing.selectors import expert_balances
from billing.services.earnings import earnings_release_due
from billing.services.withdrawals import withdrawal_approve, withdrawal_reject, withdrawal_request
from core.outbox import outbox_drain
from tests.factories import UserFactory

from ..money_builders import (
    API,
    approver,
    ledger_totals_are_zero,
    no_expert_balance_negative,
    past_paid_session,
    ready_payout_account,
    stripe_error,
    transfer_json,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def expert():
    """An expert with EUR 136.00 available (two released sessions) and a ready payout account."""
    payment = past_paid_session(ended_days_ago=9)
    past_paid_session(expert=payment.payee, ended_days_ago=9)
    earnings_release_due()
    ready_payout_account(payment.payee)
    return payment.payee


def buckets(expert):
    (row,) = expert_balances(expert=expert)
    return {
        "pending": row.pending,
        "available": row.available,
        "withdrawing": row.withdrawing,
        "paid_out": row.paid_out,
    }


@pytest.mark.parametrize(
    "amount, currency, code",
    [
        (1_999, "EUR", "below_minimum"),
        (13_601, "EUR", "insufficient_funds"),
        (5_000, "USD", "insufficient_funds"),  # a currency the expert holds nothing in
        (5_000, "XXX", "bad_currency"),
        (0, "EUR", "bad_amount"),
        (-5_000, "EUR", "bad_amount"),
        ("5000", "EUR", "bad_amount"),
        (50.5, "EUR", "bad_amount"),
    ],
)
def test_a_request_that_does_not_fit_is_refused_and_changes_nothing(expert, amount, currency, code):
    before = buckets(expert)
    with pytest.raises(WithdrawalError) as refused:
        withdrawal_request(expert=expert, amount_minor=amount, currency=currency)
    assert refused.value.code == code
    assert buckets(expert) == before and not Withdrawal.objects.exists()


def test_no_payout_account_or_one_stripe_has_not_enabled_is_refused():
    payment = past_paid_session(ended_days_ago=9)
    earnings_release_due()
    with pytest.raises(WithdrawalError) as refused:
        withdrawal_request(expert=payment.payee, amount_minor=5_000, currency="EUR")
    assert refused.value.code == "no_payout_account"
    ready_payout_account(payment.payee, ready=False)
    with pytest.raises(WithdrawalError) as refused:
        withdrawal_request(expert=payment.payee, amount_minor=5_000, currency="EUR")
    assert refused.value.code == "payout_account_not_ready"


def test_pending_earnings_cannot_be_withdrawn():
    payment = past_paid_session(ended_days_ago=1)  # still in the hold period
    ready_payout_account(payment.payee)
    with pytest.raises(WithdrawalError) as refused:
        withdrawal_request(expert=payment.payee, amount_minor=5_000, currency="EUR")
    assert refused.value.code == "insufficient_funds"


def test_approval_transfers_once_with_our_key_and_moves_available_to_paid_out(expert, stripe_api, mailoutbox):
    withdrawal = withdrawal_request(expert=expert, amount_minor=10_000, currency="EUR")
    assert buckets(expert) == {"pending": 0, "available": 3_600, "withdrawing": 10_000, "paid_out": 0}
    destination = withdrawal.payout_account.stripe_account_id
    stripe_api.post(
        f"{API}/v1/transfers",
        json=transfer_json("tr_1", amount=10_000, destination=destination, group=f"withdrawal-{withdrawal.pk}"),
    )
    staff = approver()
    done = withdrawal_approve(withdrawal=withdrawal, by=staff, note="Checked")
    assert done.status == Withdrawal.Status.PAID and done.stripe_transfer_id == "tr_1"
    assert buckets(expert) == {"pending": 0, "available": 3_600, "withdrawing": 0, "paid_out": 10_000}
    (call,) = stripe_api.calls
    assert call.request.headers["Idempotency-Key"] == f"withdrawal-{withdrawal.pk}-transfer-v1"
    body = dict(pair.split("=") for pair in call.request.body.split("&"))
    assert body["amount"] == "10000" and body["currency"] == "eur" and body["destination"] == destination
    outbox_drain()
    (sent,) = mail.outbox
    assert sent.to == [expert.email] and "Paid out" in sent.subject and "€100.00" in sent.subject
    assert {entry.action for entry in ModelLogEntry.objects.filter(object_id=str(withdrawal.pk))} == {
        "billing.withdrawal.request",
        "billing.withdrawal.approve",
        "billing.withdrawal.paid",
    }
    with pytest.raises(WithdrawalError) as again:
        withdrawal_approve(withdrawal=withdrawal, by=staff)
    assert again.value.code == "already_decided" and len(stripe_api.calls) == 1
    assert ledger_totals_are_zero() and no_expert_balance_negative()


def test_rejection_needs_a_note_and_returns_the_amount_to_available(expert, stripe_api, mailoutbox):
    withdrawal = withdrawal_request(expert=expert, amount_minor=10_000, currency="EUR")
    staff = approver()
    with pytest.raises(WithdrawalError) as refused:
        withdrawal_reject(withdrawal=withdrawal, by=staff, note="   ")
    assert refused.value.code == "note_required"
    done = withdrawal_reject(withdrawal=withdrawal, by=staff, note="Please verify your identity with Stripe first.")
    assert done.status == Withdrawal.Status.REJECTED
    assert buckets(expert) == {"pending": 0, "available": 13_600, "withdrawing": 0, "paid_out": 0}
    assert not stripe_api.calls
    outbox_drain()
    (sent,) = mail.outbox
    assert "not approved" in sent.subject and "verify your identity" in sent.body
    with pytest.raises(WithdrawalError):
        withdrawal_approve(withdrawal=withdrawal, by=staff)


def test_a_transfer_stripe_refuses_fails_cleanly_and_gives_the_money_back(expert, stripe_api, mailoutbox):
    withdrawal = withdrawal_request(expert=expert, amount_minor=10_000, currency="EUR")
    stripe_api.post(
        f"{API}/v1/transfers",
        status=400,
        json=stripe_error("You have insufficient available funds in your Stripe account."),
    )
    done = withdrawal_approve(withdrawal=withdrawal, by=approver())
    assert done.status == Withdrawal.Status.FAILED and "insufficient" in done.failure_message
    assert done.stripe_transfer_id is None
    assert buckets(expert) == {"pending": 0, "available": 13_600, "withdrawing": 0, "paid_out": 0}
    outbox_drain()
    assert "could not be sent" in mail.outbox[0].subject


def test_an_unknown_outcome_stays_approved_and_the_retry_pays_once(expert, stripe_api):
    withdrawal = withdrawal_request(expert=expert, amount_minor=10_000, currency="EUR")
    destination = withdrawal.payout_account.stripe_account_id
    stripe_api.post(f"{API}/v1/transfers", status=500, json=stripe_error("Server error", code="", kind="api_error"))
    staff = approver()
    with pytest.raises(WithdrawalError) as unknown:
        withdrawal_approve(withdrawal=withdrawal, by=staff)
    assert unknown.value.code == "transfer_unknown"
    withdrawal.refresh_from_db()
    assert withdrawal.status == Withdrawal.Status.APPROVED
    assert buckets(expert)["withdrawing"] == 10_000  # nothing given back: Stripe may have made it
    stripe_api.replace(
        "POST",
        f"{API}/v1/transfers",
        json=transfer_json("tr_2", amount=10_000, destination=destination, group=f"withdrawal-{withdrawal.pk}"),
    )
    done = withdrawal_approve(withdrawal=withdrawal, by=staff)
    assert done.status == Withdrawal.Status.PAID
    keys = {call.request.headers["Idempotency-Key"] for call in stripe_api.calls}
    assert keys == {f"withdrawal-{withdrawal.pk}-transfer-v1"}
    assert buckets(expert) == {"pending": 0, "available": 3_600, "withdrawing": 0, "paid_out": 10_000}


def test_only_approvers_decide(expert, stripe_api):
    withdrawal = withdrawal_request(expert=expert, amount_minor=10_000, currency="EUR")
    for who in (UserFactory(is_staff=True), expert, UserFactory()):
        with pytest.raises(WithdrawalError) as refused:
            withdrawal_approve(withdrawal=withdrawal, by=who)
        assert refused.value.code == "forbidden"
        with pytest.raises(WithdrawalError):
            withdrawal_reject(withdrawal=withdrawal, by=who, note="no")
    assert not stripe_api.calls
    assert Group.objects.get(name="Withdrawal approvers").permissions.filter(codename="decide_withdrawal").exists()
    withdrawal.refresh_from_db()
    assert withdrawal.status == Withdrawal.Status.REQUESTED
    assert json.dumps(buckets(expert))  # unchanged buckets are still readable


def test_a_paid_withdrawal_is_announced_once_to_the_experts_payout_webhooks(expert, stripe_api):
    from api.models import WebhookDelivery
    from api.webhooks import webhook_endpoint_create

    webhook_endpoint_create(user=expert, url="https://hooks.example.com/payouts", events=["payout.paid"])
    webhook_endpoint_create(user=UserFactory(), url="https://other.example.com/hook", events=["payout.paid"])
    withdrawal = withdrawal_request(expert=expert, amount_minor=10_000, currency="EUR")
    assert not WebhookDelivery.objects.exists()  # requested is not paid
    destination = withdrawal.payout_account.stripe_account_id
    stripe_api.post(
        f"{API}/v1/transfers",
        json=transfer_json("tr_9", amount=10_000, destination=destination, group=f"withdrawal-{withdrawal.pk}"),
    )
    withdrawal_approve(withdrawal=withdrawal, by=approver())
    (delivery,) = WebhookDelivery.objects.all()
    assert delivery.endpoint.user_id == expert.pk and delivery.event == "payout.paid"
    assert delivery.payload["data"]["payout"] == {
        "id": withdrawal.pk,
        "amount_minor": 10_000,
        "currency": "EUR",
        "transfer_id": "tr_9",
        "requested_at": withdrawal.created_at.isoformat(),
    }


def test_a_refused_transfer_announces_nothing(expert, stripe_api):
    from api.models import WebhookDelivery
    from api.webhooks import webhook_endpoint_create

    webhook_endpoint_create(user=expert, url="https://hooks.example.com/payouts", events=["payout.paid"])
    withdrawal = withdrawal_request(expert=expert, amount_minor=10_000, currency="EUR")
    stripe_api.post(f"{API}/v1/transfers", status=400, json=stripe_error("Insufficient funds in Stripe account."))
    assert withdrawal_approve(withdrawal=withdrawal, by=approver()).status == Withdrawal.Status.FAILED
    assert not WebhookDelivery.objects.exists()
