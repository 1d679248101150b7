"""Money going back: refunds made by the app, refunds and disputes made outside it.

``payment_refund`` is the app's own refund: in full (a payment that could not
be booked, a cancellation early enough), or partly (a late cancellation under
the booking's refund policy). ``payment_refund_sync`` applies what Stripe says was
refunded, whoever did it: a partial refund made in Stripe's dashboard books a
partial reversal; a full one marks the payment refunded and, when nobody in the
app was refunding it, cancels its booking. ``payment_dispute_sync`` applies a
dispute (chargeback): funds withdrawn move the disputed part of the expert's
pending share and the commission to ``disputes``, funds reinstated after a win
move it back, and the booking is marked disputed.

Webhooks only say *that* something changed: each of these re-reads the state
from Stripe, and every posting is idempotent on its reference, so duplicates
and out-of-order deliveries change nothing twice. No gateway call is made
while a row is locked; work on the booking follows through the outbox.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.locking import locked_transaction
from core.outbox import outbox_enqueue

from ..errors import PaymentError
from ..gateways import PaymentGateway, payment_gateway
from ..models import Payment
from ..signals import payment_refunded
from .ledger import ledger_dispute_post, ledger_reverse
from .receipts import receipt_issue_enqueue

logger = logging.getLogger(__name__)

Status = Payment.Status
# Every refund recorded (ours or made in Stripe's dashboard) is an audit entry on the payment, written in
# the transaction that reverses the ledger; the acting staff member, if any, comes from Wagtail's log context.
LOG_REFUND = "taptime.payment.refund"


def _refund_log(payment: Payment, *, source: str) -> None:
    log(
        instance=payment,
        action=LOG_REFUND,
        data={
            "refunded_minor": payment.refunded_minor,
            "currency": payment.currency,
            "full": payment.refunded_minor == payment.amount_minor,
            "source": source,
        },
    )


def payment_refund(
    *, payment: Payment, gateway: PaymentGateway | None = None, amount_minor: int | None = None
) -> Payment:
    """Refund a paid payment through the gateway and reverse its ledger posting: in full (what is left
    of it), or, with ``amount_minor``, up to that total refunded (a cancellation under a refund policy).

    Three steps, and no gateway call while a row lock is held: (1) lock the
    payment, check it is paid and mark it ``refund_pending``, commit; (2) ask
    the gateway with the idempotency key ``payment-<id>-refund-v1`` (in full)
    or ``payment-<id>-refund-to-<total>-v1`` (partly); (3) lock again and
    record the refund: a full one marks the payment refunded and reverses the
    posting; a partial one reverses that part of it (the learner's refund
    taken from the expert's pending share and the commission in the payment's
    proportions, ``ledger_reverse``), records ``refunded_minor`` and leaves the
    payment ``succeeded``. ``payment_refunded`` is sent on commit either way.
    Asking twice, or concurrently, refunds once: the second caller finds the
    refund pending or done and the same key reaches the same refund. A refusal
    from the gateway puts the payment back to ``succeeded`` and raises. Must
    not run inside an outer transaction (step 1 has to commit).
    """
    gateway = gateway or payment_gateway()
    with locked_transaction(durable=True):
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if locked.status == Status.REFUNDED:
            return locked
        if locked.status not in Payment.PAID:
            raise PaymentError(_("Only a completed payment can be refunded."), code="not_refundable")
        target = locked.amount_minor if amount_minor is None else amount_minor
        if not isinstance(target, int) or isinstance(target, bool) or not 0 < target <= locked.amount_minor:
            raise PaymentError(_("This refund does not fit the payment."), code="bad_amount")
        if locked.status == Status.SUCCEEDED and target <= locked.refunded_minor:
            return locked  # this much has been refunded already
        already = locked.refunded_minor
        if locked.status != Status.REFUND_PENDING:
            locked.status = Status.REFUND_PENDING
            locked.save(update_fields=["status", "updated_at"])
    full = target == locked.amount_minor
    try:
        if full and already == 0:
            gateway.refund(locked.stripe_payment_intent_id, idempotency_key=f"payment-{locked.pk}-refund-v1")
        else:
            gateway.refund(
                locked.stripe_payment_intent_id,
                idempotency_key=f"payment-{locked.pk}-refund-to-{target}-v1",
                amount_minor=target - already,
            )
    except PaymentError:
        with locked_transaction():
            Payment.objects.filter(pk=locked.pk, status=Status.REFUND_PENDING).update(status=Status.SUCCEEDED)
        raise
    with locked_transaction():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if locked.status == Status.REFUNDED:
            return locked  # a webhook recorded it in the meantime
        if full:
            return _payment_mark_refunded(locked)
        return _payment_mark_partly_refunded(locked, total=target)


def payment_refund_sync(*, payment_intent_id: str, gateway: PaymentGateway | None = None) -> Payment | None:
    """Apply what Stripe says was refunded on an intent (a ``charge.refunded`` webhook). None if not ours.

    Partial: the new part is booked as a partial reversal and the payment
    stays paid (``refunded_minor`` says how much went back). Full: the payment
    is refunded; if it was ``succeeded`` (no refund of ours in progress: staff
    refunded it in Stripe's dashboard), its booking is cancelled through the
    outbox, so the learner does not keep both the money and the session.
    """
    payment = Payment.objects.filter(stripe_payment_intent_id=payment_intent_id).first()
    if payment is None:
        return None
    refunded = (gateway or payment_gateway()).refunded_amount(payment_intent_id)
    with locked_transaction():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        refunded = min(refunded, locked.amount_minor)
        if locked.status not in Payment.PAID or refunded <= locked.refunded_minor:
            return locked
        if refunded < locked.amount_minor:
            _reverse(locked, memo="partial refund", refunded_total=refunded)
            locked.refunded_minor = refunded
            locked.save(update_fields=["refunded_minor", "updated_at"])
            _refund_log(locked, source="stripe")
            logger.warning("Payment %s partly refunded outside the app (%s so far)", locked.pk, refunded)
            return locked
        outside = locked.status == Status.SUCCEEDED
        _payment_mark_refunded(locked, source="stripe" if outside else "app")
        if outside and locked.booking_id is not None:
            outbox_enqueue(
                app_label="billing",
                handler="billing.tasks.booking_cancel_after_refund",
                payload={"payment_id": locked.pk},
                dedupe_key=f"payment-{locked.pk}-refunded-outside",
            )
        return locked


def _reverse(payment: Payment, *, memo: str, refunded_total: int | None = None) -> None:
    """Book the refund on the ledger and queue the learner's refund receipt in the same transaction."""
    posting = ledger_reverse(reference=payment.ledger_reference, memo=memo, refunded_total=refunded_total)
    receipt_issue_enqueue(payment=payment, posting=posting)


def _payment_mark_refunded(payment: Payment, *, source: str = "app") -> Payment:
    _reverse(payment, memo="refund")
    payment.status = Status.REFUNDED
    payment.refunded_minor = payment.amount_minor
    payment.save(update_fields=["status", "refunded_minor", "updated_at"])
    _refund_log(payment, source=source)
    transaction.on_commit(lambda: payment_refunded.send(sender=Payment, payment=payment))
    return payment


def _payment_mark_partly_refunded(payment: Payment, *, total: int) -> Payment:
    """``total`` of the payment went back: book the part not booked yet (a webhook may have booked it)."""
    if total > payment.refunded_minor:
        _reverse(payment, memo="partial refund", refunded_total=total)
        payment.refunded_minor = total
        _refund_log(payment, source="app")
    payment.status = Status.SUCCEEDED
    payment.save(update_fields=["status", "refunded_minor", "updated_at"])
    transaction.on_commit(lambda: payment_refunded.send(sender=Payment, payment=payment))
    return payment


# Stripe's dispute status -> ours.
_DISPUTE_STATUS = {"won": Payment.DisputeStatus.WON, "lost": Payment.DisputeStatus.LOST}


def payment_dispute_sync(*, dispute_id: str, gateway: PaymentGateway | None = None) -> Payment | None:
    """Apply a dispute as Stripe reports it now (``charge.dispute.*`` webhooks). None if not ours.

    Funds withdrawn and funds reinstated are each booked once
    (``ledger_dispute_post``), whatever order the events come in; the payment
    records the dispute's state, and its booking is marked disputed through
    the outbox. Staff are alerted by an error in the log.
    """
    state = (gateway or payment_gateway()).retrieve_dispute(dispute_id)
    payment = Payment.objects.filter(stripe_payment_intent_id=state.payment_intent_id).first()
    if payment is None or not state.payment_intent_id:
        return None
    with locked_transaction():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        amount = min(state.amount_minor, locked.amount_minor)
        if locked.status in (*Payment.PAID, Status.REFUNDED) and amount > 0:
            if state.funds_withdrawn:
                ledger_dispute_post(
                    reference=locked.ledger_reference, dispute_id=state.id, amount=amount, reinstated=False
                )
            if state.funds_reinstated:
                ledger_dispute_post(
                    reference=locked.ledger_reference, dispute_id=state.id, amount=amount, reinstated=True
                )
        status = _DISPUTE_STATUS.get(state.status, Payment.DisputeStatus.OPEN)
        if status != locked.dispute_status:
            if not locked.dispute_status:
                logger.error("Payment %s is disputed (%s, %s %s)", locked.pk, state.id, amount, locked.currency)
            locked.dispute_status = status
            locked.save(update_fields=["dispute_status", "updated_at"])
        if locked.booking_id is not None:
            outbox_enqueue(
                app_label="billing",
                handler="billing.tasks.booking_mark_disputed",
                payload={"payment_id": locked.pk},
                dedupe_key=f"payment-{locked.pk}-disputed",
            )
        return locked
