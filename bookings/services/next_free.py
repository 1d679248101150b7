"""The denormalised next free time (``ExpertProfile.next_available_at``); this module alone writes it.

Browse filters and cards read one indexed column instead of running the slot
engine for every expert on every request. It is refreshed on commit after each
change that can move it (hours, days off, policy, session types, holds,
confirmations, expiries) and by a schedule that catches what no event
announces: the clock moving past a slot or past the minimum notice, and new
days entering the horizon.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.db.models import F, Min, Q
from django.utils import timezone
from django_q.tasks import async_task

from marketplace.models import DURATION_CHOICES, ExpertProfile

from ..scheduling import iter_slots
from ..selectors.availability import expert_availabilities
from ..selectors.busy import busy_intervals_by_expert
from ..selectors.slot_fragments import slot_fragments_invalidate

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
    # The cached slot pickers of these experts go with it (bookings.selectors.slot_fragments).
    slot_fragments_invalidate(user_ids=user_ids)

    def queue() -> None:
        if taken is not None and not _overlaps_next_available(user_ids=user_ids, start=taken[0], end=taken[1]):
            return
        async_task("bookings.tasks.refresh_next_available", user_ids)

    # robust: the change itself has committed; if queueing fails, the schedule catches up
    # and the request that made the change still succeeds.
    transaction.on_commit(queue, robust=True)


# The longest session type: the stored start's slot lasts at most this long.
_LONGEST_SESSION = timedelta(minutes=max(minutes for minutes, _label in DURATION_CHOICES))


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
        busy = busy_intervals_by_expert(
            expert_ids=[profile.user_id for profile in bookable],
            begin=now - timedelta(days=1),
            end=now + timedelta(days=longest_horizon + 1),
            now=now,
        )
        for profile in bookable:
            bookings, holds, imported = busy[profile.user_id]
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
                    busy=imported,
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
