"""Bookings, live holds and imported calendar blocks that occupy time, in one query each.

Two reads over the same rows: ``busy_intervals_by_expert`` for listing free
times (one expert or many), and ``hold_busy_times`` for the recheck inside a
hold, which also needs the learner's own sessions and live holds. Busy blocks
imported from the expert's calendars (``ImportedBusy``) come in the same query
(``UNION ALL``, marked ``IMPORTED``), so every reader of free time sees them at
no extra round trip: the slot list, the next free time and the hold's recheck
under the lock.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from django.db.models import CharField, DateTimeField, F, IntegerField, Q, Value

from ..models import Booking, ImportedBusy
from ..scheduling import Interval

# The status column of an imported block in the unions below (no booking status is spelt so).
IMPORTED = "imported-busy"


def _imported_rows(*, expert_ids: list[int], begin: datetime, end: datetime, **shape):
    """Imported blocks overlapping [begin, end), shaped with ``shape``'s constant columns to join a union."""
    return (
        ImportedBusy.objects.filter(expert_id__in=expert_ids, start__lt=end, end__gt=begin)
        .order_by()
        .annotate(
            row_status=Value(IMPORTED, output_field=CharField()),
            row_expires=Value(None, output_field=DateTimeField()),
            **shape,
        )
    )


class ExpertBusy(NamedTuple):
    bookings: list[Interval]  # confirmed sessions
    holds: list[Interval]  # live holds
    imported: list[Interval]  # busy blocks from the expert's calendars


def busy_intervals_by_expert(
    *, expert_ids: list[int], begin: datetime, end: datetime, now: datetime
) -> dict[int, ExpertBusy]:
    """Each expert's (user id) confirmed bookings and live holds overlapping [begin, end): one query for any number."""
    busy = {pk: ExpertBusy([], [], []) for pk in expert_ids}
    rows = (
        Booking.objects.filter(expert_id__in=expert_ids, status__in=Booking.SLOT_HOLDING, start__lt=end, end__gt=begin)
        .order_by()  # SQLite refuses ORDER BY inside a compound statement's parts
        .values_list("expert_id", "start", "end", "status", "hold_expires_at")
        .union(
            _imported_rows(expert_ids=expert_ids, begin=begin, end=end, row_expert=F("expert_id")).values_list(
                "row_expert", "start", "end", "row_status", "row_expires"
            ),
            all=True,
        )
    )
    for expert_id, start, finish, status, expires in rows:
        if status == IMPORTED:
            busy[expert_id].imported.append(Interval(start, finish))
        elif status == Booking.Status.CONFIRMED:
            busy[expert_id].bookings.append(Interval(start, finish))
        elif expires is not None and expires > now:
            busy[expert_id].holds.append(Interval(start, finish))
    return busy


class HoldBusyTimes(NamedTuple):
    """What a hold request must respect, read in one query (``hold_busy_times``)."""

    bookings: list[Interval]  # the expert's confirmed sessions in the window
    holds: list[Interval]  # the expert's live holds in the window
    imported: list[Interval]  # the expert's busy blocks from imported calendars in the window
    learner_sessions: list[Interval]  # the learner's own confirmed sessions and live holds in the window
    lapsed: int  # held rows of either of them in the window whose time is up
    learner_live_holds: list[tuple[int, int, datetime]]  # (pk, expert id, created) anywhere, if asked for


def hold_busy_times(
    *,
    expert_id: int,
    learner_id: int,
    begin: datetime,
    end: datetime,
    now: datetime,
    learner_holds: bool = False,
    exclude_id: int | None = None,
) -> HoldBusyTimes:
    """For a hold request, in one query: the expert's confirmed bookings and live holds
    overlapping [begin, end) (for the slot engine), the learner's own sessions there,
    how many lapsed holds (still ``held``, time up) of either of them lie there, and,
    with ``learner_holds``, every live hold of the learner wherever it lies (for the
    per-learner limit). ``exclude_id``: a booking that is moving, whose own time does not count."""
    lowest_start = begin - Booking.MAX_LENGTH
    window = Q(start__gt=lowest_start, start__lt=end, end__gt=begin)
    condition = (Q(expert_id=expert_id) | Q(learner_id=learner_id)) & window
    if learner_holds:
        condition |= Q(learner_id=learner_id, status=Booking.Status.HELD, hold_expires_at__gt=now)
    rows = Booking.objects.filter(condition, status__in=Booking.SLOT_HOLDING)
    if exclude_id is not None:
        rows = rows.exclude(pk=exclude_id)
    rows = rows.order_by().values_list(
        "pk", "start", "end", "status", "hold_expires_at", "expert_id", "learner_id", "created_at"
    )
    imported = _imported_rows(
        expert_ids=[expert_id],
        begin=begin,
        end=end,
        row_expert=F("expert_id"),
        row_learner=Value(None, output_field=IntegerField()),
        row_created=Value(None, output_field=DateTimeField()),
    ).values_list("pk", "start", "end", "row_status", "row_expires", "row_expert", "row_learner", "row_created")
    busy = HoldBusyTimes([], [], [], [], 0, [])
    lapsed = 0
    for pk, start, finish, status, expires, row_expert, row_learner, created in rows.union(imported, all=True):
        if status == IMPORTED:
            busy.imported.append(Interval(start, finish))
            continue
        live = status == Booking.Status.CONFIRMED or (expires is not None and expires > now)
        if learner_holds and live and row_learner == learner_id and status == Booking.Status.HELD:
            busy.learner_live_holds.append((pk, row_expert, created))
        if not (lowest_start < start < end and finish > begin):
            continue  # only here as one of the learner's live holds elsewhere
        if not live:
            lapsed += 1
            continue
        if row_expert == expert_id:
            (busy.bookings if status == Booking.Status.CONFIRMED else busy.holds).append(Interval(start, finish))
        if row_learner == learner_id:
            busy.learner_sessions.append(Interval(start, finish))
    return busy._replace(lapsed=lapsed)
