"""Billing screens: paying for a held booking and cancelling a paid one with a refund; Stripe's webhook URL.

Money screens live here rather than in bookings so the import direction stays
billing → bookings (see docs/architecture.md).
"""

from .cancellation import booking_cancel, booking_cancel_by_expert
from .checkout import booking_paid, booking_review
from .stripe_webhook import stripe_webhook

__all__ = ["booking_cancel", "booking_cancel_by_expert", "booking_paid", "booking_review", "stripe_webhook"]
