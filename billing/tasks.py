"""django-q2 tasks for billing. Each calls one service."""

from django.core.cache import cache

from .emails import unbookable_payment_refunded_email_send
from .services.payments import payment_refund_sync, payment_sync


def send_unbookable_payment_refunded(payment_id: int) -> int:
    """Queued on commit by ``payment_refund_unbookable``: tell the learner their payment came back.

    Sent once per payment even if two paths refunded it at the same moment
    (a cache key taken atomically with ``add``).
    """
    if not cache.add(f"billing:unbookable-refund-mail:{payment_id}", 1, timeout=7 * 24 * 3600):
        return 0
    return unbookable_payment_refunded_email_send(payment_id=payment_id)


def payment_intent_sync(payment_intent_id: str) -> None:
    """Queued on commit by a Stripe webhook: re-read the PaymentIntent from Stripe and apply it."""
    payment_sync(payment_intent_id=payment_intent_id)


def payment_refunds_sync(payment_intent_id: str) -> None:
    """Queued on commit by a ``charge.refunded`` webhook: re-read the intent's refunds from Stripe."""
    payment_refund_sync(payment_intent_id=payment_intent_id)
