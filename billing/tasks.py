"""django-q2 tasks for billing. Each calls one service."""

from django.core.cache import cache


def send_unbookable_payment_refunded(payment_id: int) -> int:
    """Queued on commit by ``refund_unbookable_payment``: tell the learner their payment came back.

    Sent once per payment even if two paths refunded it at the same moment
    (a cache key taken atomically with ``add``).
    """
    from .emails import unbookable_payment_refunded_email_send

    if not cache.add(f"billing:unbookable-refund-mail:{payment_id}", 1, timeout=7 * 24 * 3600):
        return 0
    return unbookable_payment_refunded_email_send(payment_id=payment_id)
