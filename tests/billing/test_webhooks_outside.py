"""Refunds and disputes made outside the app reach the payment, the booking and the ledger.

Signed webhook payloads with Stripe's event shapes, through dj-stripe's
endpoint; ``responses`` stands in for the Stripe API that dj-stripe and our
services read back from (the event body is never trusted).
"""

import pytest
import responses
from django.test import TestCase
from django.urls import reverse

from billing.models import LedgerAccount, LedgerTransaction, Payment
from billing.selectors import ledger_balances_for_owner, ledger_platform_balances, ledger_unbalanced_transactions
from billing.tasks import payment_succeeded_follow_up
from bookings.models import Booking

from .money_builders import not_receipts
from .webhook_payloads import API, booking_with_payment, deliver, event, intent

pytestmark = pytest.mark.django_db

Kind = LedgerAccount.Kind
GROSS, COMMISSION, SHARE = 4_500, 675, 3_825  # EUR 45 at the default 15 %


@pytest.fixture
def paid(client, stripe_api, mailoutbox):
    """A confirmed booking whose EUR 45 payment succeeded and is booked in the ledger."""
    booking, payment = booking_with_payment(Booking.Status.CONFIRMED, "pi_paid")
    stripe_api.get(f"{API}/v1/payment_intents/pi_paid", json=intent("pi_paid", "succeeded"))
    assert (
        deliver(client, event("evt_paid", "payment_intent.succeeded", intent("pi_paid", "succeeded"))).status_code
        == 200
    )
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    mailoutbox.clear()
    return booking, payment


def charge(amount_refunded=0, *, disputed=False):
    return {
        "id": "ch_paid",
        "object": "charge",
        "amount": GROSS,
        "amount_captured": GROSS,
        "amount_refunded": amount_refunded,
        "captured": True,
        "currency": "eur",
        "disputed": disputed,
        "livemode": False,
        "paid": True,
        "payment_intent": "pi_paid",
        "refunded": amount_refunded == GROSS,
        "status": "succeeded",
        "created": 1_790_000_050,
    }


def refunds(*amounts):
    data = [
        {"id": f"re_{index}", "object": "refund", "amount": amount, "currency": "eur", "charge": "ch_paid",
         "payment_intent": "pi_paid", "status": "succeeded", "reason": "requested_by_customer"}
        for index, amount in enumerate(amounts)
    ]  # fmt: skip
    return {"object": "list", "data": data, "has_more": False, "url": "/v1/refunds"}


def refunded_in_dashboard(client, stripe_api, event_id, *amounts):
    total = sum(amounts)
    stripe_api.upsert(responses.GET, f"{API}/v1/charges/ch_paid", json=charge(total))
    stripe_api.upsert(responses.GET, f"{API}/v1/refunds", json=refunds(*amounts))
    return deliver(client, event(event_id, "charge.refunded", charge(total)))


def balances(booking):
    expert = ledger_balances_for_owner(owner=booking.expert).get((Kind.EXPERT_PENDING, "EUR"), 0)
    platform = ledger_platform_balances()
    return expert, platform.get((Kind.PLATFORM_REVENUE, "EUR"), 0), platform.get((Kind.REFUNDS, "EUR"), 0)


def test_partial_refunds_in_the_dashboard_book_partial_reversals_until_the_full_one_cancels(
    client, stripe_api, paid, mailoutbox
):
    booking, payment = paid
    assert refunded_in_dashboard(client, stripe_api, "evt_r1", 1_500).status_code == 200
    payment.refresh_from_db()
    booking.refresh_from_db()
    assert (payment.status, payment.refunded_minor) == (Payment.Status.SUCCEEDED, 1_500)
    assert booking.status == Booking.Status.CONFIRMED and not_receipts(mailoutbox) == []
    # The commission of the part is rounded down, the rest comes out of the expert's pending share.
    assert balances(booking) == (SHARE - 1_275, COMMISSION - 225, 1_500)

    # A replay of the same event, and a second event that reports the same total, change nothing.
    refunded_in_dashboard(client, stripe_api, "evt_r1", 1_500)
    refunded_in_dashboard(client, stripe_api, "evt_r1_again", 1_500)
    assert balances(booking) == (SHARE - 1_275, COMMISSION - 225, 1_500)

    assert refunded_in_dashboard(client, stripe_api, "evt_r2", 1_500, 3_000).status_code == 200
    payment.refresh_from_db()
    booking.refresh_from_db()
    assert (payment.status, payment.refunded_minor) == (Payment.Status.REFUNDED, GROSS)
    assert balances(booking) == (0, 0, GROSS)  # exactly where one full refund would end
    assert ledger_unbalanced_transactions() == []
    assert set(
        LedgerTransaction.objects.filter(reverses__reference=payment.ledger_reference).values_list(
            "reference", flat=True
        )
    ) == {f"{payment.ledger_reference}:refund-to-1500", f"{payment.ledger_reference}:reversal"}
    # Refunded in full outside the app: the learner does not keep the session too.
    assert booking.status == Booking.Status.CANCELLED_REFUNDED and booking.cancelled_at
    assert sorted(mail.to[0] for mail in not_receipts(mailoutbox)) == sorted(
        [booking.learner.email, booking.expert.email]
    )
    assert all("refunded in full" in mail.body for mail in not_receipts(mailoutbox))
    client.force_login(booking.learner)
    assert client.get(reverse("booking_join", kwargs={"pk": booking.pk})).status_code == 404


def test_a_refund_made_by_the_apps_own_cancellation_is_not_cancelled_again(client, stripe_api, paid, mailoutbox):
    booking, payment = paid
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CANCELLED_BY_LEARNER)
    Payment.objects.filter(pk=payment.pk).update(status=Payment.Status.REFUND_PENDING)  # our refund is under way
    assert refunded_in_dashboard(client, stripe_api, "evt_ours", GROSS).status_code == 200
    payment.refresh_from_db()
    booking.refresh_from_db()
    assert payment.status == Payment.Status.REFUNDED and booking.status == Booking.Status.CANCELLED_BY_LEARNER
    assert not_receipts(mailoutbox) == []


def dispute(status, *balance_moves):
    return {
        "id": "dp_1",
        "object": "dispute",
        "amount": GROSS,
        "balance_transactions": [
            {
                "id": f"txn_{index}",
                "object": "balance_transaction",
                "amount": amount,
                "currency": "eur",
                "fee": 1_500 if amount < 0 else -1_500,
                "net": amount - 1_500 if amount < 0 else amount + 1_500,
                "reporting_category": "dispute" if amount < 0 else "dispute_reversal",
                "type": "adjustment",
            }
            for index, amount in enumerate(balance_moves)
        ],  # fmt: skip
        "charge": "ch_paid",
        "created": 1_790_000_200,
        "currency": "eur",
        "evidence_details": {"due_by": 1_791_000_000, "has_evidence": False, "past_due": False, "submission_count": 0},
        "is_charge_refundable": False,
        "livemode": False,
        "metadata": {},
        "payment_intent": "pi_paid",
        "reason": "fraudulent",
        "status": status,
    }


def disputed(client, stripe_api, event_type, event_id, now, *, sent=None):
    stripe_api.upsert(responses.GET, f"{API}/v1/disputes/dp_1", json=now)
    stripe_api.upsert(responses.GET, f"{API}/v1/charges/ch_paid", json=charge(disputed=True))
    return deliver(client, event(event_id, event_type, sent or now))


def test_a_dispute_moves_the_experts_pending_share_and_a_win_moves_it_back(client, stripe_api, paid):
    booking, payment = paid
    opened = dispute("needs_response", -GROSS)
    assert disputed(client, stripe_api, "charge.dispute.created", "evt_d1", opened).status_code == 200
    payment.refresh_from_db()
    booking.refresh_from_db()
    assert payment.dispute_status == Payment.DisputeStatus.OPEN and booking.disputed_at
    expert, platform, _refunds = balances(booking)
    assert (expert, platform, ledger_platform_balances()[(Kind.DISPUTES, "EUR")]) == (0, 0, GROSS)
    assert booking.status == Booking.Status.CONFIRMED  # the session itself is not cancelled

    won = dispute("won", -GROSS, GROSS)
    assert disputed(client, stripe_api, "charge.dispute.closed", "evt_d2", won).status_code == 200
    disputed(client, stripe_api, "charge.dispute.funds_reinstated", "evt_d3", won)
    payment.refresh_from_db()
    assert payment.dispute_status == Payment.DisputeStatus.WON
    assert balances(booking)[:2] == (SHARE, COMMISSION)
    assert ledger_platform_balances()[(Kind.DISPUTES, "EUR")] == 0
    assert ledger_unbalanced_transactions() == []


def test_dispute_events_in_any_order_end_in_the_same_ledger(client, stripe_api, paid):
    booking, payment = paid
    lost = dispute("lost", -GROSS)
    # The closing event arrives first, the creation event (with its old body) afterwards: Stripe's current state counts.
    disputed(client, stripe_api, "charge.dispute.closed", "evt_l2", lost)
    disputed(client, stripe_api, "charge.dispute.created", "evt_l1", lost, sent=dispute("needs_response"))
    payment.refresh_from_db()
    assert payment.dispute_status == Payment.DisputeStatus.LOST
    assert balances(booking)[:2] == (0, 0) and ledger_platform_balances()[(Kind.DISPUTES, "EUR")] == GROSS
    assert LedgerTransaction.objects.filter(kind=LedgerTransaction.Kind.DISPUTE).count() == 1


@pytest.mark.parametrize("moved_on", [Booking.Status.COMPLETED, Booking.Status.CANCELLED_BY_LEARNER])
def test_a_payment_follow_up_that_runs_late_leaves_a_booking_that_moved_on_alone(
    client, stripe_api, paid, mailoutbox, moved_on
):
    # The worker was down: the succeeded payment's follow-up runs after the session was completed (or
    # cancelled with its own refund). It must neither refund the payment nor email anyone.
    booking, payment = paid
    Booking.objects.filter(pk=booking.pk).update(status=moved_on)
    with TestCase.captureOnCommitCallbacks(execute=True):
        payment_succeeded_follow_up(payment.pk)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED and mailoutbox == []
    assert not [call for call in stripe_api.calls if call.request.method == "POST" and "refunds" in call.request.url]
