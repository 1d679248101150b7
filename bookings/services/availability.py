"""An expert's weekly hours, days off and scheduling policy.

Changes apply at once (no moderation). Every write locks the expert's profile
row first, so two browser tabs saving weekly hours cannot interleave into an
overlapping mix.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, time

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.locking import locked_transaction
from marketplace.models import ExpertProfile

from ..errors import AvailabilityError
from ..models import DateOverride, ExpertRefundPolicy, RefundTier, Weekday, WeeklyHours
from .next_free import expert_next_available_refresh_on_commit

# The choices the expert area offers; the database allows a few more (see ExpertProfile's constraints).
SLOT_STEP_CHOICES = (15, 20, 30, 45, 60)
MAX_WINDOWS_PER_DAY = 6


def weekly_hours_problems(windows: Iterable[tuple[int, time, time]]) -> list[str]:
    """Human-readable reasons why these weekly windows cannot be saved (empty when fine).

    Shared by the form (to point at the problem) and the service (so no other
    caller can store overlaps). Windows that touch (10:00–12:00, 12:00–14:00)
    are fine; windows that overlap are not.
    """
    problems: list[str] = []
    by_day: dict[int, list[tuple[time, time]]] = {}
    for weekday, start, end in windows:
        if weekday not in Weekday.values:
            problems.append(_("Choose a day of the week."))
            continue
        if end <= start:
            problems.append(
                _("%(day)s: the end (%(end)s) must be after the start (%(start)s), on the same day.")
                % {"day": Weekday(weekday).label, "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}
            )
            continue
        by_day.setdefault(weekday, []).append((start, end))
    for weekday, day_windows in sorted(by_day.items()):
        day_windows.sort()
        if len(day_windows) > MAX_WINDOWS_PER_DAY:
            problems.append(
                _("%(day)s: at most %(n)s time ranges per day.")
                % {"day": Weekday(weekday).label, "n": MAX_WINDOWS_PER_DAY}
            )
        for (start_a, end_a), (start_b, end_b) in zip(day_windows, day_windows[1:], strict=False):
            if start_b < end_a:
                problems.append(
                    _("%(day)s: %(a)s overlaps %(b)s. Merge them or change the times.")
                    % {
                        "day": Weekday(weekday).label,
                        "a": f"{start_a:%H:%M}–{end_a:%H:%M}",
                        "b": f"{start_b:%H:%M}–{end_b:%H:%M}",
                    }
                )
    return problems


def _lock(profile: ExpertProfile) -> ExpertProfile:
    return ExpertProfile.objects.select_for_update().get(pk=profile.pk)


@locked_transaction()
def weekly_hours_replace(*, profile: ExpertProfile, windows: Sequence[tuple[int, time, time]]) -> list[WeeklyHours]:
    """Replace all weekly hours of an expert with ``windows`` (weekday, start, end in the expert's zone)."""
    problems = weekly_hours_problems(windows)
    if problems:
        raise AvailabilityError(" ".join(problems), code="invalid_weekly_hours")
    profile = _lock(profile)
    wanted = sorted((weekday, start, end) for weekday, start, end in windows)
    current = list(WeeklyHours.objects.filter(profile=profile).values_list("weekday", "start", "end"))
    if current == wanted:
        return list(WeeklyHours.objects.filter(profile=profile))  # nothing changed: no churn of ids
    expert_next_available_refresh_on_commit(user_ids=[profile.user_id])
    WeeklyHours.objects.filter(profile=profile).delete()
    return WeeklyHours.objects.bulk_create(
        WeeklyHours(profile=profile, weekday=weekday, start=start, end=end) for weekday, start, end in wanted
    )


@locked_transaction()
def scheduling_policy_update(
    *, profile: ExpertProfile, min_notice_hours: int, horizon_days: int, buffer_minutes: int, slot_step_minutes: int
) -> ExpertProfile:
    if slot_step_minutes not in SLOT_STEP_CHOICES:
        raise AvailabilityError(_("Choose how often sessions can start from the list."), code="invalid_step")
    if not 0 <= min_notice_hours <= 24 * 14:
        raise AvailabilityError(_("Minimum notice must be between 0 and 336 hours (two weeks)."), code="invalid_notice")
    if not 1 <= horizon_days <= 365:
        raise AvailabilityError(_("Learners can book between 1 and 365 days ahead."), code="invalid_horizon")
    if not 0 <= buffer_minutes <= 240:
        raise AvailabilityError(_("The buffer must be between 0 and 240 minutes."), code="invalid_buffer")
    profile = _lock(profile)
    expert_next_available_refresh_on_commit(user_ids=[profile.user_id])
    profile.min_notice_hours, profile.horizon_days = min_notice_hours, horizon_days
    profile.buffer_minutes, profile.slot_step_minutes = buffer_minutes, slot_step_minutes
    profile.save(
        update_fields=["min_notice_hours", "horizon_days", "buffer_minutes", "slot_step_minutes", "updated_at"]
    )
    return profile


@locked_transaction()
def refund_policy_set(*, profile: ExpertProfile, tier: str) -> ExpertRefundPolicy:
    """Choose the refund tier for sessions booked from now on. Booked sessions keep their snapshot."""
    if tier not in RefundTier.values:
        raise AvailabilityError(_("Choose a refund policy from the list."), code="invalid_tier")
    profile = _lock(profile)
    chosen, _created = ExpertRefundPolicy.objects.update_or_create(profile=profile, defaults={"tier": tier})
    return chosen


@locked_transaction()
def day_off_add(*, profile: ExpertProfile, day: date, today: date) -> DateOverride:
    """Mark a local date as unavailable. Any custom windows for that date give way to the day off."""
    if day < today:
        raise AvailabilityError(_("That date is in the past. Choose today or a later date."), code="past_date")
    profile = _lock(profile)
    existing = DateOverride.objects.filter(profile=profile, date=day, start__isnull=True).first()
    if existing is not None:
        return existing  # idempotent: adding the same day off twice is not an error
    DateOverride.objects.filter(profile=profile, date=day).delete()
    expert_next_available_refresh_on_commit(user_ids=[profile.user_id])
    try:
        with transaction.atomic():
            return DateOverride.objects.create(profile=profile, date=day)
    except IntegrityError as exc:  # pragma: no cover - the lock above makes this unreachable
        raise AvailabilityError(_("That day off could not be saved."), code="conflict") from exc


@locked_transaction()
def day_off_remove(*, profile: ExpertProfile, day: date) -> bool:
    """Make a day off a normal day again (weekly hours apply). Returns whether there was one."""
    profile = _lock(profile)
    deleted, _detail = DateOverride.objects.filter(profile=profile, date=day, start__isnull=True).delete()
    if deleted:
        expert_next_available_refresh_on_commit(user_ids=[profile.user_id])
    return bool(deleted)
