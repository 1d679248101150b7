"""Outbox handlers for the outbox's own tests (dotted paths the drain imports)."""

CALLS: list[tuple[str, dict]] = []


def record(**payload) -> None:
    CALLS.append(("record", payload))


def explode(**payload) -> None:
    CALLS.append(("explode", payload))
    raise RuntimeError("the mail server is down")
