"""An expert's weekly hours, days off and scheduling policy.

Changes apply at once (no moderation). Every write locks the expert's profile
row first, so two browser tabs saving weekly hours cannot interleave into an
overlapping mix.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_q.tasks import async_task

from ..errors import AvailabilityError
from ..models import DateOverride, ExpertProfile, Weekday, WeeklyHours
from ..scheduling import iter_slots
from ..selectors import expert_availabilities, experts_busy_intervals

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


@transaction.atomic
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


@transaction.atomic
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


@transaction.atomic
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


@transaction.atomic
def day_off_remove(*, profile: ExpertProfile, day: date) -> bool:
    """Make a day off a normal day again (weekly hours apply). Returns whether there was one."""
    profile = _lock(profile)
    deleted, _detail = DateOverride.objects.filter(profile=profile, date=day, start__isnull=True).delete()
    if deleted:
        expert_next_available_refresh_on_commit(user_ids=[profile.user_id])
    return bool(deleted)


# --- The denormalised next free time (ExpertProfile.next_available_at) --------------------------
#
# Browse filters and cards read one indexed column instead of running the slot
# engine for every expert on every request. It is refreshed on commit after
# each change that can move it (hours, days off, policy, session types, holds,
# confirmations, expiries) and by a schedule that catches what no event
# announces: the clock moving past a slot or past the minimum notice, and new
# days entering the horizon.

# A value checked longer ago than this is recomputed by the schedule even if nothing announced a change.
NEXT_AVAILABLE_MAX_AGE = timedelta(hours=1)
# Experts per batch: one set of queries (profiles, hours, overrides, bookings, update) per chunk.
NEXT_AVAILABLE_CHUNK = 500
# At most this many stale experts per scheduled run (keeps a run well inside the q2 timeout).
NEXT_AVAILABLE_STALE_LIMIT = 5000


def expert_next_available_refresh_on_commit(
    *, user_ids: list[int], taken: tuple[datetime, datetime] | None = None
) -> None:
    """Queue a refresh of these experts' next free time (one task) for when the current transaction commits.

    Nothing is queued for a rolled-back change; the slot engine runs in the
    worker. ``taken`` is time just taken (a new hold): it can only push the next
    free time later, and only if it overlaps the stored one, so after commit
    one indexed read decides and most holds queue nothing — the queue insert
    (an INSERT and a commit with the ORM broker) would cost the hold path more
    than that read.
    """
    user_ids = list(user_ids)

    def queue() -> None:
        if taken is not None and not _overlaps_next_available(user_ids=user_ids, start=taken[0], end=taken[1]):
            return
        async_task("marketplace.tasks.refresh_next_available", user_ids)

    # robust: the change itself has committed; if queueing fails, the schedule catches up
    # and the request that made the change still succeeds.
    transaction.on_commit(queue, robust=True)


# The longest session type (DURATION_CHOICES): the stored start's slot lasts at most this long.
_LONGEST_SESSION = timedelta(minutes=90)


def _overlaps_next_available(*, user_ids: list[int], start: datetime, end: datetime) -> bool:
    rows = ExpertProfile.objects.filter(user_id__in=user_ids).values_list("next_available_at", "buffer_minutes")
    return any(
        value is not None
        and start - timedelta(minutes=buffer) < value + _LONGEST_SESSION
        and end + timedelta(minutes=buffer) > value
        for value, buffer in rows
    )


def expert_next_available_refresh(*, profile: ExpertProfile, now: datetime | None = None) -> datetime | None:
    """Recompute one expert's next free time; updates ``profile`` in place and returns the value."""
    now = now or timezone.now()
    value = expert_next_available_refresh_many(user_ids=[profile.user_id], now=now).get(profile.user_id)
    profile.next_available_at, profile.next_available_checked_at = value, now
    return value


def expert_next_available_refresh_many(
    *, user_ids: Iterable[int], now: datetime | None = None
) -> dict[int, datetime | None]:
    """Recompute the next free time of many experts (by user id), about five queries per 500 experts.

    The value is the start of the earliest slot the real slot engine lists,
    from ``now`` to the expert's horizon, for the shortest active session type
    (a start that fits a longer session also fits a shorter one), minus
    confirmed bookings and live holds: the first time the expert page would
    offer. Paused experts and experts with no active session type get None.

    A refresh never overwrites one computed from a later ``now``: with several
    workers, a slow run that read the bookings before a newer one must not
    undo it.
    """
    now = (now or timezone.now()).astimezone(UTC)
    ids = list(dict.fromkeys(user_ids))
    results: dict[int, datetime | None] = {}
    for offset in range(0, len(ids), NEXT_AVAILABLE_CHUNK):
        results.update(_next_available_chunk(user_ids=ids[offset : offset + NEXT_AVAILABLE_CHUNK], now=now))
    return results


def _next_available_chunk(*, user_ids: list[int], now: datetime) -> dict[int, datetime | None]:
    profiles = list(
        ExpertProfile.objects.filter(user_id__in=user_ids)
        .annotate(shortest=Min("session_types__duration_minutes", filter=Q(session_types__is_active=True)))
        .only(
            *("id", "user_id", "status", "time_zone", "min_notice_hours", "horizon_days"),
            *("buffer_minutes", "slot_step_minutes", "next_available_at", "next_available_checked_at"),
        )
    )
    bookable = [p for p in profiles if p.status == ExpertProfile.Status.ACTIVE and p.shortest is not None]
    values: dict[int, datetime | None] = {profile.user_id: None for profile in profiles}
    if bookable:
        # Day offs are by local date: two days back covers every zone.
        availabilities = expert_availabilities(profiles=bookable, from_date=now.date() - timedelta(days=2))
        longest_horizon = max(profile.horizon_days for profile in bookable)
        # Bookings matter up to a buffer (≤ 4 h) before a slot and a session after its start.
        busy = experts_busy_intervals(
            expert_ids=[profile.user_id for profile in bookable],
            begin=now - timedelta(days=1),
            end=now + timedelta(days=longest_horizon + 1),
            now=now,
        )
        for profile in bookable:
            bookings, holds = busy[profile.user_id]
            availability = availabilities[profile.pk]
            first = next(
                iter_slots(
                    availability=availability,
                    duration=timedelta(minutes=profile.shortest),
                    range_start=now,
                    range_end=now + availability.policy.horizon + timedelta(microseconds=1),
                    now=now,
                    bookings=bookings,
                    holds=holds,
                ),
                None,
            )
            values[profile.user_id] = first.start if first is not None else None
    for profile in profiles:
        profile.next_available_at, profile.next_available_checked_at = values[profile.user_id], now
    ExpertProfile.objects.filter(
        Q(next_available_checked_at__isnull=True) | Q(next_available_checked_at__lte=now)
    ).bulk_update(profiles, ["next_available_at", "next_available_checked_at"])
    return values


def expert_next_available_stale_ids(*, now: datetime, limit: int = NEXT_AVAILABLE_STALE_LIMIT) -> list[int]:
    """Experts (user ids) whose stored next free time may be wrong, least recently checked first.

    Stale: never checked, checked more than ``NEXT_AVAILABLE_MAX_AGE`` ago, or
    the stored time is no longer bookable because the clock (plus the minimum
    notice) has passed it. One query over four narrow columns; the notice
    test is per expert, so it is done here rather than in SQL.
    """
    rows = ExpertProfile.objects.order_by(F("next_available_checked_at").asc(nulls_first=True), "pk").values_list(
        "user_id", "next_available_at", "next_available_checked_at", "min_notice_hours"
    )
    checked_before = now - NEXT_AVAILABLE_MAX_AGE
    stale = [
        user_id
        for user_id, value, checked, notice in rows
        if checked is None or checked < checked_before or (value is not None and value < now + timedelta(hours=notice))
    ]
    return stale[:limit]


def expert_next_available_refresh_stale(*, now: datetime | None = None) -> int:
    """The scheduled job: recompute every stale next free time (see ``expert_next_available_stale_ids``)."""
    now = now or timezone.now()
    user_ids = expert_next_available_stale_ids(now=now)
    expert_next_available_refresh_many(user_ids=user_ids, now=now)
    return len(user_ids)
