"""The conversion funnel's events: recorded off the request path, counted per day.

Recording (``funnel_record``) appends to an in-process buffer and returns; the buffer is written
with one ``bulk_create`` when it holds ``FUNNEL_BUFFER_SIZE`` events or, after
``FUNNEL_FLUSH_SECONDS``, by a timer thread, so a page view costs no query. What a crash loses is at
most one buffer of page views: these are estimates of behaviour, not records anyone relies on.

The visitor key (models.FunnelEvent) is an HMAC of the browser's address and user agent under a
random salt made for that UTC day and kept only in the cache for two days, the way Plausible counts
without cookies: unique per day, never linkable across days, the address never recoverable. With a
per-process cache (local memory, the embedded default) each web process has its own salt, so one
browser served by two processes counts twice; production's shared Redis cache has one salt.

Counting (``funnel_counts``) is strict: a visitor reaches a step only having reached every earlier
step the same day (a paid booking without a hold the same day is not counted as paid).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import threading
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from .models import FunnelEvent

STEPS = (FunnelEvent.Step.VISIT, FunnelEvent.Step.EXPERT_PAGE, FunnelEvent.Step.HOLD, FunnelEvent.Step.PAID)
FIELDS = {
    FunnelEvent.Step.VISIT: "funnel_visitors",
    FunnelEvent.Step.EXPERT_PAGE: "funnel_expert_page",
    FunnelEvent.Step.HOLD: "funnel_hold",
    FunnelEvent.Step.PAID: "funnel_paid",
}
SALT_SECONDS = 2 * 24 * 3600

_lock = threading.Lock()
_buffer: list[FunnelEvent] = []
_timer: threading.Timer | None = None


def daily_salt(day: dt.date) -> str:
    key = f"insights:funnel-salt:{day.isoformat()}"
    cache.add(key, secrets.token_hex(32), SALT_SECONDS)
    return cache.get(key) or ""


def visitor_key(*, day: dt.date, address: str, user_agent: str) -> str:
    message = f"{address}\n{user_agent[:512]}".encode()
    return hmac.new(daily_salt(day).encode(), message, hashlib.sha256).hexdigest()[:16]


def funnel_record(*, step: str, address: str, user_agent: str, day: dt.date) -> None:
    """Buffer one event; written in bulk later (see the module's docstring)."""
    global _timer
    event = FunnelEvent(day=day, step=step, visitor=visitor_key(day=day, address=address, user_agent=user_agent))
    with _lock:
        _buffer.append(event)
        full = len(_buffer) >= settings.FUNNEL_BUFFER_SIZE
        if not full and _timer is None and settings.FUNNEL_FLUSH_SECONDS > 0:
            _timer = threading.Timer(settings.FUNNEL_FLUSH_SECONDS, _flush_from_timer)
            _timer.daemon = True
            _timer.start()
    if full:
        funnel_flush()


def funnel_flush() -> int:
    """Write what the buffer holds in one insert; returns how many events were written."""
    global _timer
    with _lock:
        events, _buffer[:] = list(_buffer), []
        _timer = None
    if events:
        FunnelEvent.objects.bulk_create(events, batch_size=500)
    return len(events)


def _flush_from_timer() -> None:
    try:
        funnel_flush()
    finally:
        # The timer's thread opened its own connection; it ends here.
        connection.close()


def buffered() -> int:
    with _lock:
        return len(_buffer)


def funnel_counts(events: Iterable[tuple[dt.date, str, str]]) -> dict[dt.date, dict[str, int]]:
    """``{day: {field: visitors}}`` from ``(day, visitor, step)`` rows, each step strict (see above)."""
    reached: dict[tuple[dt.date, str], set[str]] = defaultdict(set)
    for day, visitor, step in events:
        reached[(day, visitor)].add(step)
    counts: dict[dt.date, dict[str, int]] = defaultdict(dict)
    for (day, _visitor), steps in reached.items():
        for step in STEPS:
            if step != FunnelEvent.Step.VISIT and step not in steps:
                break
            counts[day][FIELDS[step]] = counts[day].get(FIELDS[step], 0) + 1
    return dict(counts)
