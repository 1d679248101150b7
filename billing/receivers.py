"""Billing's reactions to other apps' signals.

A payment's own outcome reaches its booking through the outbox, not a signal
receiver (``billing.services.payments._follow_up_enqueue``): a receiver run
after commit is lost if the process dies first. ``payment_succeeded`` and
``payment_failed`` are still sent after commit for anyone else who listens.
"""


def connect() -> None:
    """Nothing to connect yet."""
