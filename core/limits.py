"""Velocity limits: one record of every limit a user reached, for staff to see.

The limits themselves are counted by each app from its own rows (holds in
bookings, declined payments in billing): counting from the database is exact
across any number of web processes, needs no Redis on the embedded demo, and
the count runs under the row lock the service already holds, so two requests
cannot both slip under a limit. Reaching one is recorded as a Wagtail log
entry on the user (action ``taptime.limit_reached``, registered in
``core.wagtail_hooks``), which the Wagtail admin lists under Reports → Site
history, filterable by action and user.
"""

from __future__ import annotations

from typing import Any

from wagtail.log_actions import log

LIMIT_REACHED = "taptime.limit_reached"


def limit_reached_record(*, user, limit: str, count: int, window_hours: int, detail: dict[str, Any] | None = None):
    """Log that ``user`` reached ``limit`` (``count`` within ``window_hours``). Call it after the
    refused change rolled back, so the record survives the refusal."""
    return log(
        instance=user,
        action=LIMIT_REACHED,
        user=user,
        data={"limit": limit, "count": count, "window_hours": window_hours, **(detail or {})},
    )
