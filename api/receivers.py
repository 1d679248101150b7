"""What the API does when the domain changes: record the outgoing webhooks of a booking's change or a review's publication."""

from __future__ import annotations

from .webhooks import payout_webhook_deliveries_record, review_webhook_deliveries_record, webhook_deliveries_record


def record_booking_webhooks(sender, *, booking, event: str, **kwargs) -> None:
    webhook_deliveries_record(booking=booking, event=event)


def record_review_webhooks(sender, *, reviews, **kwargs) -> None:
    review_webhook_deliveries_record(reviews=reviews)


def record_payout_webhooks(sender, *, withdrawal, **kwargs) -> None:
    payout_webhook_deliveries_record(withdrawal=withdrawal)
