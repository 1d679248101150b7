"""django-q2 tasks and outbox handlers of billing. Each takes ids, calls one service, and does
nothing when the state has moved on, so a second run after a crash finds nothing left to do."""

import logging

from bookings.services import booking_cancel_refunded
from bookings.services import booking_mark_disputed as mark_disputed

from .emails import (
    package_email_send,
    receipt_email_send,
    transfer_reversed_email_send,
    unbookable_payment_refunded_email_send,
    withdrawal_decided_email_send,
)
from .models import Payment
from .selectors import ledger_reconciliation_problems
from .services.checkout import booking_confirm_for_payment, booking_release_for_payment
from .services.credits import credit_earnings_release_due, package_credits_expire, package_expiry_reminders_send
from .services.earnings import earnings_release_due
from .services.packages import package_purchase_for_payment, package_purchase_fulfil
from .services.payments import payment_cancel, payment_sync
from .services.payouts import payout_account_sync
from .services.receipts import receipt_issue as issue_receipt
from .services.reconciliation import payment_intents_reconcile
from .services.refunds import payment_dispute_sync, payment_refund_sync
from .services.retention import webhook_payloads_purge
from .services.session_decisions import session_decision_refund as decision_refund
from .services.transfer_reversals import withdrawal_transfer_reversed as transfer_reversed

logger = logging.getLogger(__name__)


def send_unbookable_payment_refunded(payment_id: int) -> int:
    """Outbox handler, written by ``payment_refund_unbookable``: tell the learner their payment came back."""
    return unbookable_payment_refunded_email_send(payment_id=payment_id)


def payment_succeeded_follow_up(payment_id: int) -> None:
    """Outbox handler, written when a payment succeeds: confirm its booking (or refund it if it cannot
    be), or create the credits of the package it paid for."""
    payment = Payment.objects.select_related("booking").get(pk=payment_id)
    if package_purchase_for_payment(payment) is not None:
        package_purchase_fulfil(payment=payment)
    else:
        booking_confirm_for_payment(payment=payment)


def payment_failed_follow_up(payment_id: int) -> None:
    """Outbox handler, written when a payment fails: release its hold and cancel its intent."""
    booking_release_for_payment(payment=Payment.objects.select_related("booking").get(pk=payment_id))


def payment_intent_sync(payment_intent_id: str) -> None:
    """Outbox handler, written with a Stripe webhook's event: re-read the PaymentIntent and apply it."""
    payment_sync(payment_intent_id=payment_intent_id)


def payment_refunds_sync(payment_intent_id: str) -> None:
    """Outbox handler, written with a ``charge.refunded`` event: re-read the intent's refunds from Stripe."""
    payment_refund_sync(payment_intent_id=payment_intent_id)


def payment_intent_cancel(payment_id: int) -> None:
    """Outbox handler, written when a hold lapses: cancel its payment's intent so it can no longer be paid."""
    payment_cancel(payment=Payment.objects.get(pk=payment_id))


def reconcile_payment_intents() -> int:
    """Hourly: refund paid PaymentIntents that no payment owns (a duplicate charge); returns how many."""
    return len(payment_intents_reconcile().refunded)


def reconcile_ledger() -> int:
    """Nightly: every ledger transaction balances and every paid payment is posted; each problem is
    logged as an error (Sentry alerts on it). Returns how many problems were found."""
    problems = ledger_reconciliation_problems()
    for problem in problems:
        logger.error("Ledger reconciliation: %s", problem)
    return len(problems)


def payment_disputes_sync(dispute_id: str) -> None:
    """Outbox handler, written with a ``charge.dispute.*`` event: re-read the dispute and apply it."""
    payment_dispute_sync(dispute_id=dispute_id)


def booking_cancel_after_refund(payment_id: int) -> None:
    """Outbox handler, written when a payment was refunded in full outside the app: cancel its booking."""
    payment = Payment.objects.select_related("booking").get(pk=payment_id)
    if payment.booking is not None:
        booking_cancel_refunded(booking=payment.booking)


def booking_mark_disputed(payment_id: int) -> None:
    """Outbox handler, written when a payment is disputed: mark its booking."""
    payment = Payment.objects.select_related("booking").get(pk=payment_id)
    if payment.booking is not None:
        mark_disputed(booking=payment.booking)


def session_decision_refund(booking_id: int) -> None:
    """Outbox handler, written when a decision on a reported session refunds the learner: refund, then settle."""
    decision_refund(booking_id=booking_id)


def purge_webhook_payloads() -> int:
    """Daily (retention): raw Stripe webhook bodies older than the retention period are deleted."""

    return webhook_payloads_purge()


def release_earnings() -> int:
    """Scheduled: pending shares whose hold period is over become available (ledger only, once each)."""

    return earnings_release_due() + credit_earnings_release_due()


def expire_package_credits() -> int:
    """Daily: unused credits of expired packages are refunded pro rata or lapse (platform setting)."""

    return package_credits_expire()


def remind_expiring_packages() -> int:
    """Daily: learners whose package expires within 7 days with credits left are emailed, once each."""

    return package_expiry_reminders_send()


def send_package_expiry_reminder(purchase_id: int) -> int:
    """Outbox handler, written by ``package_expiry_reminders_send``."""

    return package_email_send(purchase_id=purchase_id, template="package_expiry_reminder")


def send_package_expired(purchase_id: int) -> int:
    """Outbox handler, written when a package's unused credits were refunded or lapsed."""

    return package_email_send(purchase_id=purchase_id, template="package_expired")


def send_withdrawal_decided(withdrawal_id: int) -> int:
    """Outbox handler, written with each withdrawal decision: tell the expert (paid, rejected or failed)."""

    return withdrawal_decided_email_send(withdrawal_id=withdrawal_id)


def payout_account_refresh(stripe_account_id: str) -> None:
    """Outbox handler, written with an ``account.updated`` event: re-read the connected account from Stripe."""

    payout_account_sync(stripe_account_id=stripe_account_id)


def receipt_issue(payment_id: int, posting_id: int) -> int:
    """Outbox handler, written with each payment or refund posting: issue its receipt once and email it."""

    receipt = issue_receipt(payment_id=payment_id, posting_id=posting_id)
    return receipt_email_send(receipt_id=receipt.pk) if receipt is not None else 0


def withdrawal_transfer_reversed(transfer_id: str) -> None:
    """Outbox handler, written with a ``transfer.reversed`` event: re-read the transfer, book the money back."""

    transfer_reversed(transfer_id=transfer_id)


def send_transfer_reversed(withdrawal_id: int, reversed_minor: int) -> int:
    """Outbox handler, written when a reversal is booked: tell the expert the money is available again."""

    return transfer_reversed_email_send(withdrawal_id=withdrawal_id, reversed_minor=reversed_minor)
