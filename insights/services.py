"""Writes of insights: refreshing the stored daily figures from the source tables."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction

from .models import DailyFigure, FunnelEvent
from .sources import source_figures

# Session outcomes are stored under the day the session started and may settle weeks later (a
# no-show report decided by staff, a review hidden by moderation), so each refresh recounts this
# many days back. Money is posted under the day it moved and never changes afterwards.
REFRESH_DAYS = 35


def daily_figures_refresh(*, start: dt.date, end: dt.date) -> int:
    """Recount every day from ``start`` to ``end`` (inclusive) and replace its stored rows; returns the row count.

    Idempotent: running it twice stores the same rows. Delete and insert happen in one transaction,
    so the statistics page never sees a half-refreshed day.
    """
    if end < start:
        raise ValueError("end before start")
    figures = source_figures(start=start, end=end)
    rows = [
        DailyFigure(day=day, category_id=category_id, currency=currency, **values)
        for (day, category_id, currency), values in sorted(
            figures.items(), key=lambda item: (item[0][0], item[0][1] or 0, item[0][2])
        )
    ]
    with transaction.atomic():
        DailyFigure.objects.filter(day__gte=start, day__lte=end).delete()
        DailyFigure.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def daily_figures_refresh_recent(*, today: dt.date) -> int:
    """The scheduled refresh: the last ``REFRESH_DAYS`` days before today (today is counted live)."""
    return daily_figures_refresh(start=today - dt.timedelta(days=REFRESH_DAYS), end=today - dt.timedelta(days=1))


def funnel_events_purge(*, today: dt.date) -> int:
    """Retention: page-view events older than ``RETENTION_FUNNEL_EVENT_DAYS`` are deleted (the stored
    daily figures keep their counts). Returns how many were deleted."""
    cutoff = today - dt.timedelta(days=settings.RETENTION_FUNNEL_EVENT_DAYS)
    return FunnelEvent.objects.filter(day__lt=cutoff).delete()[0]
