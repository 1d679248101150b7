"""django-q2 tasks of insights (registered in core.schedules)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .services import daily_figures_refresh_recent


def refresh_daily_figures() -> int:
    """Hourly: recount the recent days' stored figures (see services.REFRESH_DAYS)."""
    return daily_figures_refresh_recent(today=timezone.now().astimezone(dt.UTC).date())
