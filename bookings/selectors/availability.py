"""An expert's stored hours and policy as the slot engine's ``Availability``."""

from __future__ import annotations

from datetime import date, timedelta

from marketplace.models import ExpertProfile

from ..models import DateOverride, WeeklyHours
from ..scheduling import Availability, SchedulingPolicy, WeeklyRule
from ..scheduling import DateOverride as OverrideRule


def expert_scheduling_policy(*, profile: ExpertProfile) -> SchedulingPolicy:
    return SchedulingPolicy(
        min_notice=timedelta(hours=profile.min_notice_hours),
        horizon=timedelta(days=profile.horizon_days),
        buffer=timedelta(minutes=profile.buffer_minutes),
        slot_step=timedelta(minutes=profile.slot_step_minutes),
    )


def expert_availability(*, profile: ExpertProfile, from_date: date | None = None) -> Availability:
    """The expert's stored hours as the slot engine's ``Availability``: two queries, whatever the data.

    Overrides before ``from_date`` (local date; default: all) are left out:
    they can no longer affect a bookable slot and would only grow the object.
    """
    weekly = WeeklyHours.objects.filter(profile=profile).order_by("weekday", "start")
    rows = DateOverride.objects.filter(profile=profile).order_by("date", "start")
    if from_date is not None:
        rows = rows.filter(date__gte=from_date)
    return _availability_from_rows(
        profile=profile,
        weekly_rows=weekly.values_list("weekday", "start", "end"),
        override_rows=rows.values_list("date", "start", "end"),
    )


def expert_availabilities(*, profiles: list[ExpertProfile], from_date: date) -> dict[int, Availability]:
    """``expert_availability`` for many experts at once, by profile id: two queries for any number."""
    ids = [profile.pk for profile in profiles]
    weekly: dict[int, list[tuple]] = {pk: [] for pk in ids}
    overrides: dict[int, list[tuple]] = {pk: [] for pk in ids}
    for profile_id, *row in (
        WeeklyHours.objects.filter(profile_id__in=ids)
        .order_by("profile_id", "weekday", "start")
        .values_list("profile_id", "weekday", "start", "end")
    ):
        weekly[profile_id].append(tuple(row))
    for profile_id, *row in (
        DateOverride.objects.filter(profile_id__in=ids, date__gte=from_date)
        .order_by("profile_id", "date", "start")
        .values_list("profile_id", "date", "start", "end")
    ):
        overrides[profile_id].append(tuple(row))
    return {
        profile.pk: _availability_from_rows(
            profile=profile, weekly_rows=weekly[profile.pk], override_rows=overrides[profile.pk]
        )
        for profile in profiles
    }


def _availability_from_rows(*, profile: ExpertProfile, weekly_rows, override_rows) -> Availability:
    """Stored rows (weekday, start, end) and (date, start?, end?) as the engine's value objects."""
    weekly = tuple(WeeklyRule(weekday=weekday, start=start, end=end) for weekday, start, end in weekly_rows)
    windows_by_date: dict[date, list[tuple]] = {}
    days_off: set[date] = set()
    for day, start, end in override_rows:
        windows = windows_by_date.setdefault(day, [])
        if start is None:
            days_off.add(day)
        else:
            windows.append((start, end))
    for day in days_off:  # a day off wins over windows on the same date
        windows_by_date[day] = []
    overrides = tuple(OverrideRule(date=day, windows=tuple(windows)) for day, windows in windows_by_date.items())
    return Availability(
        time_zone=profile.time_zone,
        weekly=weekly,
        overrides=overrides,
        policy=expert_scheduling_policy(profile=profile),
    )
