"""django-q2 tasks of insights (registered in core.schedules)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .services import daily_figures_refresh_recent, funnel_events_purge


def refresh_daily_figures() -> int:
    """Hourly: recount the recent days' stored figures (see services.REFRESH_DAYS)."""
    return daily_figures_refresh_recent(today=timezone.now().astimezone(dt.UTC).date())


def purge_funnel_events() -> int:
    """Daily (retention): funnel page-view events past RETENTION_FUNNEL_EVENT_DAYS are deleted."""
    return funnel_events_purge(today=timezone.now().astimezone(dt.UTC).date())
