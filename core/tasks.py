"""django-q2 tasks of the kernel: the outbox drain (every minute, and nudged on commit)."""

from .outbox import outbox_drain, outbox_purge


def outbox_drain_due() -> int:
    """Run the outbox messages that are due; returns how many were done."""
    return outbox_drain().done


def outbox_purge_done() -> int:
    """Daily: forget messages delivered long ago."""
    return outbox_purge()
