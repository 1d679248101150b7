"""The slot engine: one generator lists bookable slots and validates requests.

``iter_slots`` is the only place that decides whether a start time is
bookable. ``validate_slot`` runs the very same generator over a window one
microsecond wide around the requested start, so a listed slot is always
accepted and an unlisted one never is (the property tests check exactly that).

How wall-clock rules become UTC slots, including across DST changes:

* Candidate starts are stepped in *wall-clock* time from the start of each
  window (09:00, 09:30, …), so slots stay aligned to the step in the expert's
  zone even on the day the clocks change. Session length is *absolute*: a
  60-minute session lasts 60 real minutes.
* A wall-clock time that does not exist (skipped by a spring-forward gap,
  e.g. 02:30 in Berlin on the last Sunday of March, or 02:15 on Lord Howe
  Island, whose gap is 30 minutes) is simply not a candidate.
* A wall-clock time that happens twice (fall-back) yields both instants; each
  is a real moment inside the expert's window.
* A window *boundary* inside a gap moves to the transition instant (the first
  real moment after the gap); an ambiguous window start takes its first
  occurrence and an ambiguous end its second, so the window covers every real
  moment whose wall-clock time lies inside it.
* A slot must fit in its window in real time: on a fall-back day a 09:00–17:00
  window holds one more hour of real time, on a spring-forward day one less.

Buffers are kept on both sides of bookings, holds and imported busy blocks;
the daily cap counts bookings and live holds that start on the same local date.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .rules import Availability, Interval, utc

_ONE_MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True, slots=True, order=True)
class Slot:
    """A bookable session: [start, end) in UTC."""

    start: datetime
    end: datetime


class SlotUnavailable(Exception):
    """A requested start is not bookable. ``code`` says why, for a clear message."""

    CODES = ("invalid", "past", "too_soon", "too_far", "taken", "outside_availability")

    def __init__(self, code: str) -> None:
        if code not in self.CODES:
            raise ValueError(f"unknown refusal code {code!r}")
        super().__init__(code)
        self.code = code


def _instants(wall: datetime, zone: ZoneInfo) -> list[datetime]:
    """The real instants (UTC) whose wall-clock time in ``zone`` is ``wall``: zero, one or two."""
    found: list[datetime] = []
    for fold in (0, 1):
        instant = wall.replace(tzinfo=zone, fold=fold).astimezone(UTC)
        if instant.astimezone(zone).replace(tzinfo=None) == wall and instant not in found:
            found.append(instant)
    found.sort()
    return found


def _transition_after_gap(wall: datetime, zone: ZoneInfo) -> datetime:
    """For a wall time inside a spring-forward gap, the instant the gap ends."""
    # fold=1 maps a gap time with the offset *after* the change, landing before
    # the transition; fold=0 uses the offset before it, landing after. The
    # transition lies in between: find it by bisection to the second.
    low = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    high = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if low > high:
        low, high = high, low
    offset_before = low.astimezone(zone).utcoffset()
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if middle.astimezone(zone).utcoffset() == offset_before:
            low = middle
        else:
            high = middle
    return high


def _steady_offset(day: date, zone: ZoneInfo) -> timedelta | None:
    """The day's UTC offset if it does not change between its two midnights, else None."""
    begin = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    before, after = begin.utcoffset(), end.utcoffset()
    # A gap or repeat at midnight itself also counts as a change.
    if before != after or _instants(begin.replace(tzinfo=None), zone) != [begin.astimezone(UTC)]:
        return None
    return before


def _window_bounds(day: date, start: time, end: time, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The real interval [first moment, last moment) of a wall-clock window on a local date."""
    wall_start = datetime.combine(day, start)
    wall_end = datetime.combine(day, end)
    starts = _instants(wall_start, zone)
    ends = _instants(wall_end, zone)
    first = starts[0] if starts else _transition_after_gap(wall_start, zone)
    last = ends[-1] if ends else _transition_after_gap(wall_end, zone)
    return first, last


def _merge_blocked(intervals: Iterable[Interval], buffer: timedelta) -> tuple[list[datetime], list[datetime]]:
    """Sorted, disjoint [start, end) lists of blocked time, each side widened by ``buffer``."""
    widened = sorted((item.start - buffer, item.end + buffer) for item in intervals)
    starts: list[datetime] = []
    ends: list[datetime] = []
    for begin, finish in widened:
        if ends and begin <= ends[-1]:
            if finish > ends[-1]:
                ends[-1] = finish
        else:
            starts.append(begin)
            ends.append(finish)
    return starts, ends


def _check_inputs(duration: timedelta, now: datetime) -> None:
    if duration <= timedelta(0) or duration % timedelta(minutes=1):
        raise ValueError("a session lasts a positive whole number of minutes")
    utc(now)


def iter_slots(
    *,
    availability: Availability,
    duration: timedelta,
    range_start: datetime,
    range_end: datetime,
    now: datetime,
    bookings: Iterable[Interval] = (),
    holds: Iterable[Interval] = (),
    busy: Iterable[Interval] = (),
) -> Iterator[Slot]:
    """Yield bookable slots starting in [range_start, range_end), in increasing order, in UTC.

    ``bookings`` and ``holds`` block their time (plus buffer) and count toward
    the daily cap; ``busy`` blocks (imported calendars) block time only.
    """
    _check_inputs(duration, now)
    range_start, range_end, now = utc(range_start), utc(range_end), utc(now)
    policy = availability.policy
    zone = availability.zone

    earliest = max(range_start, now + policy.min_notice)
    # Starts must be before range_end and no later than now + horizon.
    stop = min(range_end, now + policy.horizon + _ONE_MICROSECOND)
    if earliest >= stop:
        return

    bookings, holds, busy = list(bookings), list(holds), list(busy)
    blocked_starts, blocked_ends = _merge_blocked([*bookings, *holds, *busy], policy.buffer)
    per_day: Counter[date] = Counter()
    if policy.daily_cap is not None:
        per_day.update(item.start.astimezone(zone).date() for item in (*bookings, *holds))

    step = policy.slot_step
    day = earliest.astimezone(zone).date()
    last_day = (stop - _ONE_MICROSECOND).astimezone(zone).date()
    while day <= last_day:
        if policy.daily_cap is None or per_day[day] < policy.daily_cap:
            found: set[datetime] = set()
            # Fast path: on a day whose UTC offset is the same at both midnights
            # (every day but the few with a clock change), wall time maps to UTC
            # by one subtraction; otherwise resolve each candidate the slow way.
            offset = _steady_offset(day, zone)
            for window_start, window_end in availability.windows_on(day):
                first, last = _window_bounds(day, window_start, window_end, zone)
                wall = datetime.combine(day, window_start)
                wall_end = datetime.combine(day, window_end)
                while wall < wall_end:
                    candidates = [(wall - offset).replace(tzinfo=UTC)] if offset is not None else _instants(wall, zone)
                    for start in candidates:
                        end = start + duration
                        if start < first or end > last or start < earliest or start >= stop:
                            continue
                        # The last blocked interval starting before this slot ends
                        # is the only one that can overlap it (they are disjoint).
                        index = bisect_left(blocked_starts, end) - 1
                        if index >= 0 and blocked_ends[index] > start:
                            continue
                        found.add(start)
                    wall += step
            for start in sorted(found):
                yield Slot(start=start, end=start + duration)
        day += timedelta(days=1)


def compute_slots(**kwargs) -> list[Slot]:
    """``iter_slots`` as a list (same keyword arguments)."""
    return list(iter_slots(**kwargs))


def validate_slot(
    *,
    start: datetime,
    availability: Availability,
    duration: timedelta,
    now: datetime,
    bookings: Iterable[Interval] = (),
    holds: Iterable[Interval] = (),
    busy: Iterable[Interval] = (),
) -> Slot:
    """Return the slot starting at ``start`` if it is bookable, else raise ``SlotUnavailable``.

    Validity comes from ``iter_slots`` alone; the reason code is worked out
    only afterwards, to word the message.
    """
    if not isinstance(start, datetime) or start.tzinfo is None:
        raise SlotUnavailable("invalid")
    start = utc(start)
    bookings, holds, busy = list(bookings), list(holds), list(busy)
    for slot in iter_slots(
        availability=availability,
        duration=duration,
        range_start=start,
        range_end=start + _ONE_MICROSECOND,
        now=now,
        bookings=bookings,
        holds=holds,
        busy=busy,
    ):
        if slot.start == start:
            return slot
    raise SlotUnavailable(
        _explain(
            start=start, availability=availability, duration=duration, now=utc(now), taken=[*bookings, *holds, *busy]
        )
    )


def _explain(
    *, start: datetime, availability: Availability, duration: timedelta, now: datetime, taken: list[Interval]
) -> str:
    """Why a start was refused (wording only; never decides validity)."""
    policy = availability.policy
    if start <= now:
        return "past"
    if start < now + policy.min_notice:
        return "too_soon"
    if start > now + policy.horizon:
        return "too_far"
    end = start + duration
    if any(item.start - policy.buffer < end and item.end + policy.buffer > start for item in taken):
        return "taken"
    return "outside_availability"
