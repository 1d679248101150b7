"""Periods and their buckets: pure date arithmetic, no ORM and no clock (the caller passes today).

Days are UTC days, the same days the daily figures are stored under. A week starts on Monday
(ISO 8601); a month is a calendar month. The first and last bucket may be partial: a period of
10–24 January by week has buckets 10–11, 12–18 and 19–24 January (a Monday-start week).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DAY, WEEK, MONTH = "day", "week", "month"
GRANULARITIES = (DAY, WEEK, MONTH)
# Longest period asked for at once (two years and a leap day) and the most buckets drawn by day.
MAX_PERIOD_DAYS = 731
MAX_DAY_BUCKETS = 92


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        end = self.start - dt.timedelta(days=1)
        return Period(start=end - dt.timedelta(days=self.days - 1), end=end)


@dataclass(frozen=True)
class Bucket:
    start: dt.date
    end: dt.date  # inclusive

    def label(self, granularity: str) -> str:
        if granularity == MONTH:
            return self.start.strftime("%Y-%m")
        if granularity == WEEK:
            return f"{self.start.isoformat()}…{self.end.isoformat()}"
        return self.start.isoformat()


def bucket_start(day: dt.date, granularity: str) -> dt.date:
    if granularity == MONTH:
        return day.replace(day=1)
    if granularity == WEEK:
        return day - dt.timedelta(days=day.weekday())
    return day


def buckets(period: Period, granularity: str) -> list[Bucket]:
    """The period cut into days, weeks or months, clipped to the period's own first and last day."""
    if granularity not in GRANULARITIES:
        raise ValueError(f"unknown granularity {granularity!r}")
    result = []
    start = period.start
    while start <= period.end:
        if granularity == MONTH:
            following = (start.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        elif granularity == WEEK:
            following = bucket_start(start, WEEK) + dt.timedelta(days=7)
        else:
            following = start + dt.timedelta(days=1)
        end = min(following - dt.timedelta(days=1), period.end)
        result.append(Bucket(start=start, end=end))
        start = following
    return result


def bucket_index(period: Period, granularity: str) -> dict[dt.date, int]:
    """Every day of the period mapped to the position of its bucket."""
    index = {}
    for position, bucket in enumerate(buckets(period, granularity)):
        day = bucket.start
        while day <= bucket.end:
            index[day] = position
            day += dt.timedelta(days=1)
    return index


def default_period(today: dt.date) -> Period:
    """The last 30 days up to and including today."""
    return Period(start=today - dt.timedelta(days=29), end=today)
