"""Outbox handlers for the outbox's own tests (dotted paths the drain imports)."""

CALLS: list[tuple[str, dict]] = []


def record(**payload) -> None:
    CALLS.append(("record", payload))


def explode(**payload) -> None:
    CALLS.append(("explode", payload))
    raise RuntimeError("the mail server is down")


class RateLimited(Exception):
    """A failure that says how long to wait, as a provider's ``Retry-After`` does."""

    def __init__(self, retry_after):
        super().__init__("rate limited")
        self.retry_after = retry_after


def rate_limited(*, seconds) -> None:
    CALLS.append(("rate_limited", {"seconds": seconds}))
    raise RateLimited(seconds)
