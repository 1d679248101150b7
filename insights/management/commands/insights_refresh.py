"""``manage.py insights_refresh --since 2025-01-01``: recount stored daily figures (a backfill after install)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from insights.services import daily_figures_refresh


class Command(BaseCommand):
    help = "Recount the statistics' stored daily figures from a date up to yesterday (UTC), a month at a time."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--since", required=True, help="first day to recount, YYYY-MM-DD")

    def handle(self, *args, since: str, **options) -> None:
        try:
            start = dt.date.fromisoformat(since)
        except ValueError as error:
            raise CommandError(f"--since must be a date (YYYY-MM-DD): {error}") from error
        yesterday = timezone.now().astimezone(dt.UTC).date() - dt.timedelta(days=1)
        if start > yesterday:
            raise CommandError("--since must be before today: today's figures are always counted live.")
        rows = 0
        while start <= yesterday:
            end = min(start + dt.timedelta(days=30), yesterday)
            rows += daily_figures_refresh(start=start, end=end)
            start = end + dt.timedelta(days=1)
        self.stdout.write(f"Stored {rows} daily rows.")
