"""Busy times from connected Google and Outlook calendars (decision 156).

Every 15 minutes ``connected_calendars_sync_all`` queues one ``connected_calendar_sync`` task per
working connection, which reads freeBusy / getSchedule over the expert's booking horizon and
stores the intervals as ``ImportedBusy`` rows pointing at the connection, so the slot engine and
the hold's recheck subtract them in the same ``UNION ALL`` as ICS blocks. A failure keeps the last
good blocks (``connected_calendars`` records it and emails the expert once per failing streak).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from ..calendars import Busy, CalendarSyncError
from ..models import ConnectedCalendar, ImportedBusy
from .connected_calendars import Provider, _record_failure, _record_success, adapter_for, provider_configured
from .next_free import expert_next_available_refresh_on_commit

# Graph's getSchedule takes at most 62 days per call; both providers are asked in pieces this long.
BUSY_CHUNK = timedelta(days=60)


def _busy_window(*, horizon_days: int, now: datetime) -> tuple[datetime, datetime]:
    """From a day back (the slot engine never looks earlier) to a day past the expert's horizon, as for ICS."""
    return now - timedelta(days=1), now + timedelta(days=horizon_days + 1)


def _merged(found: list[Busy], begin: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """Sorted, clipped to [begin, end), overlapping and touching intervals merged."""
    merged: list[tuple[datetime, datetime]] = []
    for item in sorted(found, key=lambda busy: busy.start):
        start, finish = max(item.start, begin), min(item.end, end)
        if finish <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], finish))
        else:
            merged.append((start, finish))
    return merged


def connected_calendars_sync_all(*, now: datetime | None = None) -> int:
    """The scheduled job: one busy-time task per working connection (a slow provider delays no other).

    Broken connections (revoked: only the expert can mend them) and those inside the provider's
    ``Retry-After`` are left alone; their last good blocks stay."""
    now = now or timezone.now()
    providers = [provider for provider in Provider.values if provider_configured(provider)]
    ids = list(
        ConnectedCalendar.objects.filter(status=ConnectedCalendar.Status.ACTIVE, provider__in=providers)
        .exclude(next_attempt_after__gt=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for connection_id in ids:
        async_task("bookings.tasks.sync_connected_calendar", connection_id)
    return len(ids)


def connected_calendar_sync(*, connection_id: int, now: datetime | None = None) -> str:
    """Read one connection's busy times over its expert's horizon and store them as busy blocks.

    Returns "updated" (blocks changed; the next free time is refreshed), "unchanged", "failed"
    (the last good blocks stay), "broken", "not_configured" or "gone". The provider is asked
    outside any transaction; the blocks are replaced in one short transaction.
    """
    now = (now or timezone.now()).astimezone(UTC)
    connection = ConnectedCalendar.objects.select_related("expert__expert_profile").filter(pk=connection_id).first()
    if connection is None:
        return "gone"
    if connection.status != ConnectedCalendar.Status.ACTIVE:
        return "broken"
    adapter = adapter_for(connection)
    if adapter is None:
        return "not_configured"
    profile = getattr(connection.expert, "expert_profile", None)
    begin, end = _busy_window(horizon_days=profile.horizon_days if profile else 60, now=now)
    ConnectedCalendar.objects.filter(pk=connection.pk).update(last_attempt_at=now)
    found: list[Busy] = []
    try:
        piece = begin
        while piece < end:
            found.extend(adapter.busy(piece, min(piece + BUSY_CHUNK, end)))
            piece += BUSY_CHUNK
    except CalendarSyncError as error:
        _record_failure(connection, error, now=now)
        return "failed"
    return _store_busy(connection=connection, blocks=_merged(found, begin, end))


def _store_busy(*, connection: ConnectedCalendar, blocks: list[tuple[datetime, datetime]]) -> str:
    """Replace the connection's blocks when they changed, and mark it healthy, in one transaction."""
    with transaction.atomic():
        if not ConnectedCalendar.objects.select_for_update().filter(pk=connection.pk).exists():
            return "gone"  # disconnected while we read
        rows = ImportedBusy.objects.filter(connection_id=connection.pk)
        if list(rows.order_by("start", "end").values_list("start", "end")) == blocks:
            _record_success(connection, busy_count=len(blocks))
            return "unchanged"
        rows.delete()
        ImportedBusy.objects.bulk_create(
            [
                ImportedBusy(connection_id=connection.pk, expert_id=connection.expert_id, start=s, end=e)
                for s, e in blocks
            ],
            batch_size=1000,
        )
        _record_success(connection, busy_count=len(blocks))
        expert_next_available_refresh_on_commit(user_ids=[connection.expert_id])
    return "updated"
