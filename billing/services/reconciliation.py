"""Reconciling with Stripe: a paid PaymentIntent that no payment row owns is refunded.

How one can exist: a payment server that ignores idempotency keys (or a
request retried after our row lost its intent id) creates a second intent for
the same payment, and a browser pays it. ``payment_create`` never applies such
an intent to the payment (it keeps the first one), so no booking and no ledger
entry stand for that money: it must go back. The job lists the recent
PaymentIntents from Stripe, keeps those that carry our metadata
(``payment_id``) and have succeeded, and refunds in full every one whose id is
on no payment row, once it is older than a grace period (a payment in flight
has its intent id written a moment after Stripe answers). The refund's
idempotency key is the intent's own (``orphan-<intent>-refund-v1``), and an
intent already refunded is skipped, so runs can overlap and repeat.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from ..errors import PaymentError
from ..gateways import PaymentGateway, payment_gateway
from ..models import Payment

logger = logging.getLogger(__name__)


@dataclass
class ReconcileResult:
    checked: int = 0
    refunded: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def payment_intents_reconcile(
    *, now: datetime | None = None, grace: timedelta | None = None, gateway: PaymentGateway | None = None
) -> ReconcileResult:
    """Refund every recent succeeded PaymentIntent of ours that no payment row owns."""
    now = now or timezone.now()
    gateway = gateway or payment_gateway()
    grace = timedelta(minutes=settings.BILLING_RECONCILE_GRACE_MINUTES) if grace is None else grace
    since = now - timedelta(hours=settings.BILLING_RECONCILE_LOOKBACK_HOURS)
    latest = int((now - grace).timestamp())
    paid = [
        state
        for state in gateway.recent_payment_intents(since=since)
        if state.status == "succeeded" and "payment_id" in state.metadata and state.created <= latest
    ]
    owned = set(
        Payment.objects.filter(stripe_payment_intent_id__in=[state.id for state in paid]).values_list(
            "stripe_payment_intent_id", flat=True
        )
    )
    result = ReconcileResult(checked=len(paid))
    for orphan in (state for state in paid if state.id not in owned):
        try:
            if gateway.refunded_amount(orphan.id) >= orphan.amount_minor:
                continue
            gateway.refund(orphan.id, idempotency_key=f"orphan-{orphan.id}-refund-v1")
        except PaymentError:
            logger.error("PaymentIntent %s is paid, owned by no payment, and could not be refunded", orphan.id)
            result.failed.append(orphan.id)
            continue
        logger.warning(
            "Refunded PaymentIntent %s (%s %s, payment %s): paid, but owned by no payment",
            orphan.id,
            orphan.amount_minor,
            orphan.currency,
            orphan.metadata.get("payment_id"),
        )
        result.refunded.append(orphan.id)
    return result
