"""What the API does when the domain changes: record the outgoing webhooks of a booking's change."""

from __future__ import annotations

from .webhooks import webhook_deliveries_record


def record_booking_webhooks(sender, *, booking, event: str, **kwargs) -> None:
    webhook_deliveries_record(booking=booking, event=event)
