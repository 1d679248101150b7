"""The API's background jobs (periodic ones are listed in ``core.schedules``)."""

from .idempotency import idempotency_records_prune
from .webhooks import webhook_deliveries_send_due


def prune_idempotency_records() -> int:
    return idempotency_records_prune()


def deliver_due_webhooks() -> int:
    return webhook_deliveries_send_due()
