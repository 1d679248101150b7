"""The API's periodic jobs (listed in ``core.schedules``)."""

from .idempotency import idempotency_records_prune


def prune_idempotency_records() -> int:
    return idempotency_records_prune()
