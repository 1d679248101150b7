"""Billing state changes: payments and their ledger postings.

Ledger postings live in ``billing.services.ledger`` and refunds and disputes in
``billing.services.refunds``; this module moves a ``Payment`` through its states. Every state change goes through
``_payment_apply``, which locks the row, refuses backwards transitions and
fires the matching signal once, after commit. Webhooks, the checkout and the
tests all use it, so the order and number of deliveries never matter.

No call to the gateway is made while a row lock is held: the row is locked,
checked and marked, the transaction commits, then the gateway is called with
an idempotency key built from our ids, then a second short transaction
records the outcome. A crash between the steps leaves a state a retry
finishes (the same key reaches the same PaymentIntent or refund).
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings.models import Booking
from core.locking import locked_transaction
from core.outbox import outbox_enqueue

from ..errors import PaymentError
from ..gateways import GatewayDeclined, IntentState, PaymentGateway, payment_gateway
from ..models import Payment
from ..selectors import commission_rate_bp
from ..signals import payment_failed, payment_succeeded
from .ledger import ledger_book_payment
from .receipts import receipt_issue_enqueue

logger = logging.getLogger(__name__)

Status = Payment.Status

# Stripe's PaymentIntent status -> ours. requires_payment_method is "failed"
# only once an attempt has been made (there is a last error); before that the
# intent is merely waiting.
_FROM_STRIPE = {
    "succeeded": Status.SUCCEEDED,
    "processing": Status.PROCESSING,
    "requires_action": Status.REQUIRES_ACTION,
    "requires_confirmation": Status.PENDING,
    "requires_capture": Status.PROCESSING,
    "canceled": Status.CANCELED,
}
# Which states a payment may move to from each state. Succeeded is final but
# for a refund; refunded is final.
_ALLOWED = {
    Status.PENDING: {Status.REQUIRES_ACTION, Status.PROCESSING, Status.SUCCEEDED, Status.FAILED, Status.CANCELED},
    Status.REQUIRES_ACTION: {Status.PENDING, Status.PROCESSING, Status.SUCCEEDED, Status.FAILED, Status.CANCELED},
    Status.PROCESSING: {Status.SUCCEEDED, Status.FAILED, Status.CANCELED, Status.REQUIRES_ACTION},
    # A failed attempt can still be retried on the same intent and then succeed.
    Status.FAILED: {Status.REQUIRES_ACTION, Status.PROCESSING, Status.SUCCEEDED, Status.CANCELED},
    Status.CANCELED: set(),
    Status.SUCCEEDED: {Status.REFUNDED},
    # Nothing a PaymentIntent says moves a refund in progress: ``payment_refund``
    # finishes it (refunded) or, if the gateway refuses, puts it back (succeeded).
    Status.REFUND_PENDING: set(),
    Status.REFUNDED: set(),
}
# A PaymentIntent in these states can still be paid, and can be cancelled.
CANCELLABLE = (Status.PENDING, Status.FAILED, Status.REQUIRES_ACTION)
# A booking has at most one payment in these states (``payment_one_open_per_booking``).
OPEN = (Status.PENDING, Status.REQUIRES_ACTION, Status.PROCESSING, Status.SUCCEEDED, Status.REFUND_PENDING)


def _status_from_intent(state: IntentState) -> str:
    if state.status == "requires_payment_method":
        return Status.FAILED if state.last_error else Status.PENDING
    return _FROM_STRIPE.get(state.status, Status.PENDING)


def payment_create(
    *,
    reference: str,
    payee,
    amount_minor: int,
    currency: str,
    payer=None,
    booking=None,
    payment_method: str | None = None,
    confirm: bool = False,
    gateway: PaymentGateway | None = None,
) -> Payment:
    """Create (or return the open) payment for a payable and its PaymentIntent.

    ``reference`` is the payable's stable id (``booking-<id>``); ``booking``
    links the payment to the booking it pays for. The amount and currency come
    from the caller's *server-side* price computation. The idempotency key is
    ``<reference>-pi-v<attempt>``, so a retried request reuses the same
    PaymentIntent, and a new attempt after a failure gets a new one.

    Paying twice at once: the payment row is created first, under the
    booking's row lock, and the database allows one open payment per booking
    (``payment_one_open_per_booking``). A concurrent second submission finds
    that row and, while the first is still talking to the gateway, waits for
    it and answers with the first one's result instead of asking the gateway
    again: a payment server that ignored idempotency keys would otherwise
    charge once per submission. Only a row left without an intent for longer
    than ``BILLING_PAYMENT_IN_FLIGHT_SECONDS`` (its request died) is retried,
    with the same key; ``billing.services.reconciliation`` refunds any charge
    that still ends up without a row.
    """
    currency = (currency or "").upper()
    if not isinstance(amount_minor, int) or isinstance(amount_minor, bool) or amount_minor <= 0:
        raise PaymentError(_("The amount must be a positive whole number of minor units."), code="bad_amount")
    if len(currency) != 3 or not currency.isalpha():
        raise PaymentError(_("Unknown currency."), code="bad_currency")
    gateway = gateway or payment_gateway()
    fields = {"payer": payer, "payee": payee, "amount_minor": amount_minor, "currency": currency}
    payment, ours = _payment_claim(reference=reference, booking=booking, **fields)
    if not ours:
        if payment.stripe_payment_intent_id:
            return payment
        if settings.BILLING_PAYMENT_LOCKING:
            settled = _payment_in_flight_wait(payment)
            if settled is not None:
                return settled
    # The network call happens outside any transaction; the idempotency key
    # makes a retry of this function safe.
    try:
        state = gateway.create_payment_intent(
            amount_minor=amount_minor,
            currency=currency,
            metadata={"payment_id": str(payment.pk), "booking_ref": reference},
            idempotency_key=payment.idempotency_key,
            payment_method=payment_method,
            confirm=confirm,
        )
    except GatewayDeclined as declined:
        with transaction.atomic():
            Payment.objects.filter(pk=payment.pk).update(status=Status.FAILED, last_error=declined.message[:255])
            _follow_up_enqueue(payment, "failed")
            transaction.on_commit(lambda: payment_failed.send(sender=Payment, payment=payment))
        payment.refresh_from_db()
        return payment
    Payment.objects.filter(pk=payment.pk, stripe_payment_intent_id__isnull=True).update(
        stripe_payment_intent_id=state.id
    )
    if state.id != Payment.objects.filter(pk=payment.pk).values_list("stripe_payment_intent_id", flat=True).first():
        # A second intent for the same payment (the gateway ignored the key): never applied to this
        # payment; the reconciliation job refunds it if it was paid.
        logger.error("Payment %s: the gateway answered with a second intent %s", payment.pk, state.id)
        payment.refresh_from_db()
        return payment
    return _payment_apply(payment_id=payment.pk, state=state)


def _payment_claim(*, reference: str, booking, payer, payee, amount_minor: int, currency: str) -> tuple[Payment, bool]:
    """The open payment of ``reference``, or a new one; True if this call created it."""
    try:
        with locked_transaction():
            if booking is not None and settings.BILLING_PAYMENT_LOCKING:
                # Serialises every pay submission of this booking until its payment row exists.
                list(Booking.objects.select_for_update().filter(pk=booking.pk).values("pk"))
            open_payment = Payment.objects.select_for_update().filter(reference=reference, status__in=OPEN).first()
            if open_payment is not None:
                if (open_payment.amount_minor, open_payment.currency) != (amount_minor, currency):
                    raise PaymentError(
                        _("This booking already has a payment for another amount."), code="amount_changed"
                    )
                return open_payment, False
            attempt = Payment.objects.filter(reference=reference).count() + 1
            created = Payment.objects.create(
                reference=reference,
                booking=booking,
                payer=payer,
                payee=payee,
                amount_minor=amount_minor,
                currency=currency,
                commission_rate_bp=commission_rate_bp(),
                idempotency_key=f"{reference}-pi-v{attempt}",
            )
            return created, True
    except IntegrityError:
        # Only without the booking's lock (or without a booking): a concurrent submission created it first.
        existing = Payment.objects.filter(reference=reference, status__in=OPEN).first()
        if existing is None:
            raise
        return existing, False


def _payment_in_flight_wait(payment: Payment) -> Payment | None:
    """Wait for a concurrent submission's gateway call; its payment once it has an intent, else None.

    None means the row is older than ``BILLING_PAYMENT_IN_FLIGHT_SECONDS``
    (the request that made it died before the gateway answered): the caller
    retries with the same idempotency key. A payment still in flight after
    ``BILLING_PAYMENT_WAIT_SECONDS`` is refused with a "still processing"
    message rather than asked for twice.
    """
    if timezone.now() - payment.created_at > timedelta(seconds=settings.BILLING_PAYMENT_IN_FLIGHT_SECONDS):
        return None
    deadline = time.monotonic() + settings.BILLING_PAYMENT_WAIT_SECONDS
    while time.monotonic() < deadline:
        current = Payment.objects.filter(pk=payment.pk).first()
        if current is not None and (current.stripe_payment_intent_id or current.status not in OPEN):
            return current
        time.sleep(0.1)
    raise PaymentError(
        _("Your payment is still being processed. Please check this page again in a moment."), code="in_flight"
    )


def payment_sync(*, payment_intent_id: str, gateway: PaymentGateway | None = None) -> Payment | None:
    """Re-read a PaymentIntent from the gateway and apply its state. None if it is not ours."""
    payment = Payment.objects.filter(stripe_payment_intent_id=payment_intent_id).first()
    if payment is None:
        return None
    state = (gateway or payment_gateway()).retrieve_payment_intent(payment_intent_id)
    return _payment_apply(payment_id=payment.pk, state=state)


def payment_state_apply(*, payment: Payment, state: IntentState) -> Payment:
    """Apply a PaymentIntent state the caller has just read from the gateway (see ``payment_sync``)."""
    if state.id != payment.stripe_payment_intent_id:
        raise PaymentError(_("The payment intent does not belong to this payment."), code="intent_mismatch")
    return _payment_apply(payment_id=payment.pk, state=state)


def _payment_apply(*, payment_id: int, state: IntentState) -> Payment:
    with locked_transaction():
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if (state.amount_minor, state.currency) != (payment.amount_minor, payment.currency):
            # Never book money we did not ask for.
            logger.error("Payment %s: intent %s is for %s %s", payment.pk, state.id, state.amount_minor, state.currency)
            raise PaymentError(_("The payment does not match the booking's price."), code="amount_mismatch")
        new_status = _status_from_intent(state)
        if new_status == payment.status or new_status not in _ALLOWED[payment.status]:
            return payment
        payment.status = new_status
        if new_status == Status.FAILED:
            payment.last_error = state.last_error[:255]
        elif new_status != Status.CANCELED:  # a cancelled payment keeps the reason its last attempt failed
            payment.last_error = ""
        payment.save(update_fields=["status", "last_error", "updated_at"])
        if new_status == Status.SUCCEEDED:
            posting = ledger_book_payment(
                reference=payment.ledger_reference,
                currency=payment.currency,
                gross=payment.amount_minor,
                commission_rate_bp=payment.commission_rate_bp,
                expert=payment.payee,
            )
            _follow_up_enqueue(payment, "succeeded")
            receipt_issue_enqueue(payment=payment, posting=posting)
            transaction.on_commit(lambda: payment_succeeded.send(sender=Payment, payment=payment))
        elif new_status == Status.FAILED:
            _follow_up_enqueue(payment, "failed")
            transaction.on_commit(lambda: payment_failed.send(sender=Payment, payment=payment))
        return payment


def _follow_up_enqueue(payment: Payment, outcome: str) -> None:
    """What a payment's outcome does to its booking, written to the outbox in the same transaction.

    ``succeeded``: confirm the booking, or refund if it cannot be booked;
    ``failed``: release the hold and cancel the intent. A crash after this
    commits cannot lose either (``core.outbox``); the checkout does the same at
    once for the page the learner sees next, and whichever runs second finds
    nothing left to do.
    """
    outbox_enqueue(
        app_label="billing",
        handler=f"billing.tasks.payment_{outcome}_follow_up",
        payload={"payment_id": payment.pk},
        dedupe_key=f"payment-{payment.pk}-{outcome}",
    )


def payment_cancel(*, payment: Payment, gateway: PaymentGateway | None = None) -> Payment:
    """Cancel an unpaid payment's PaymentIntent, so no later attempt on it can take money.

    Used when the booking's hold is released: a second card typed into the same
    Payment Element (or another tab) must not pay for a time that is no longer
    held. Only an intent that is still waiting for a card is cancelled; if Stripe
    refuses (it has just succeeded, say), the payment is re-read instead and
    whatever Stripe says is applied as usual.
    """
    if not payment.stripe_payment_intent_id or payment.status not in CANCELLABLE:
        return payment
    gateway = gateway or payment_gateway()
    try:
        state = gateway.cancel_payment_intent(
            payment.stripe_payment_intent_id, idempotency_key=f"payment-{payment.pk}-cancel-v1"
        )
    except PaymentError:
        logger.warning("Payment %s: intent %s could not be cancelled", payment.pk, payment.stripe_payment_intent_id)
        return payment_sync(payment_intent_id=payment.stripe_payment_intent_id, gateway=gateway) or payment
    return _payment_apply(payment_id=payment.pk, state=state)


def payment_intents_cancel_enqueue(*, booking_ids: list[int]) -> int:
    """Queue the cancellation of the open PaymentIntents of these bookings (holds that lapsed); how many.

    Runs inside the transaction that released the holds: one indexed read,
    and an outbox message per payment that has an intent still payable.
    """
    payment_ids = list(
        Payment.objects.filter(
            booking_id__in=booking_ids, status__in=CANCELLABLE, stripe_payment_intent_id__isnull=False
        ).values_list("pk", flat=True)
    )
    for payment_id in payment_ids:
        outbox_enqueue(
            app_label="billing",
            handler="billing.tasks.payment_intent_cancel",
            payload={"payment_id": payment_id},
            dedupe_key=f"payment-{payment_id}-cancel",
        )
    return len(payment_ids)
