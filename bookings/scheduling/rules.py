"""Value objects describing when an expert can be booked.

Rules live in the expert's own time zone (wall-clock times); intervals that
come from elsewhere (bookings, holds, imported busy times) are absolute and in
UTC. All objects are frozen so they can be cached and shared safely.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@dataclass(frozen=True, slots=True)
class WeeklyRule:
    """The expert is available from ``start`` to ``end`` (wall clock) every ``weekday``.

    ``weekday`` follows ``date.weekday()``: Monday is 0, Sunday is 6. A window
    never crosses midnight; an evening-into-night window is two rules.
    """

    weekday: int
    start: time
    end: time

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError("weekday must be between 0 (Monday) and 6 (Sunday)")
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("rule times are wall-clock times in the expert's zone, without tzinfo")
        if self.start >= self.end:
            raise ValueError("a rule must end after it starts, on the same day")


@dataclass(frozen=True, slots=True)
class DateOverride:
    """Replaces the weekly rules on one local date.

    ``windows`` are (start, end) wall-clock pairs; an empty tuple is a day off.
    """

    date: date
    windows: tuple[tuple[time, time], ...] = ()

    def __post_init__(self) -> None:
        for start, end in self.windows:
            if start >= end:
                raise ValueError("an override window must end after it starts")

    @classmethod
    def day_off(cls, day: date) -> DateOverride:
        return cls(date=day, windows=())


@dataclass(frozen=True, slots=True, order=True)
class Interval:
    """A half-open absolute interval [start, end) in UTC: a booking, a hold or a busy block."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        for value in (self.start, self.end):
            if value.tzinfo is None or value.utcoffset() != timedelta(0):
                raise ValueError("intervals must be timezone-aware and in UTC")
        if self.start >= self.end:
            raise ValueError("an interval must end after it starts")


BusyInterval = Interval


@dataclass(frozen=True, slots=True)
class SchedulingPolicy:
    """How far ahead and how densely an expert can be booked.

    ``buffer`` is kept free on both sides of every booking, hold and busy
    block. ``slot_step`` is the spacing of candidate start times, counted in
    wall-clock time from the start of each availability window. ``daily_cap``
    limits the sessions (bookings plus live holds) starting on one local date.
    """

    min_notice: timedelta = timedelta(hours=12)
    horizon: timedelta = timedelta(days=60)
    buffer: timedelta = timedelta(0)
    slot_step: timedelta = timedelta(minutes=30)
    daily_cap: int | None = None

    def __post_init__(self) -> None:
        if self.min_notice < timedelta(0) or self.buffer < timedelta(0):
            raise ValueError("notice and buffer cannot be negative")
        if self.horizon <= timedelta(0):
            raise ValueError("the booking horizon must be positive")
        if self.slot_step < timedelta(minutes=5) or self.slot_step % timedelta(minutes=5):
            raise ValueError("the slot step must be a positive multiple of 5 minutes")
        if self.daily_cap is not None and self.daily_cap < 1:
            raise ValueError("a daily cap must allow at least one session (or be None)")


@dataclass(frozen=True, slots=True)
class Availability:
    """Everything about one expert's calendar that does not change per request."""

    time_zone: str
    weekly: tuple[WeeklyRule, ...] = ()
    overrides: tuple[DateOverride, ...] = ()
    policy: SchedulingPolicy = field(default_factory=SchedulingPolicy)

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {self.time_zone!r}") from error
        days = [override.date for override in self.overrides]
        if len(days) != len(set(days)):
            raise ValueError("at most one override per date")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def windows_on(self, day: date) -> list[tuple[time, time]]:
        """Wall-clock windows on a local date: the override if there is one, else the weekly rules."""
        for override in self.overrides:
            if override.date == day:
                return list(override.windows)
        weekday = day.weekday()
        return [(rule.start, rule.end) for rule in self.weekly if rule.weekday == weekday]


def utc(value: datetime) -> datetime:
    """Normalise an aware datetime to UTC (refusing naive ones)."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: pass an aware datetime")
    return value.astimezone(UTC)
