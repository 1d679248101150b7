"""An ICS file to busy blocks over a window: recurrences, exceptions and time zones expanded by libraries.

``recurring-ical-events`` expands RRULE, RDATE, EXDATE and RECURRENCE-ID
overrides (a moved or cancelled instance) and first rewrites a Google export's
``X-WR-TIMEZONE`` into real TZIDs; ``icalendar`` parses the file and knows
VTIMEZONE definitions and Windows zone names ("W. Europe Standard Time").

What blocks time: every event in the window except those marked free
(``TRANSP:TRANSPARENT``), cancelled (``STATUS:CANCELLED``) or declined by the
expert (an ATTENDEE with one of the expert's addresses and ``PARTSTAT=DECLINED``).
An all-day event blocks its whole days in the expert's zone; a time without a
zone (floating) is read in the expert's zone. Blocks are clamped to the window
(an event spanning years blocks the window, nothing more) and overlapping ones
merged, so the slot engine reads as few as possible.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
import x_wr_timezone

# Series that repeat every second or minute would expand into tens of thousands of
# blocks; no real busy time looks like that, so such a series is skipped.
_TOO_FREQUENT = {"SECONDLY", "MINUTELY"}
_SERIES = ("RRULE", "RDATE", "RECURRENCE-ID")


class ParseError(Exception):
    """The file cannot be read as a calendar. ``code``: "not_calendar", "malformed" or "too_many_events"."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _instant(value: date | datetime, zone: ZoneInfo) -> datetime:
    """A DTSTART/DTEND value as a UTC instant: dates start at midnight in ``zone``, floating times are in ``zone``."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time(0), tzinfo=zone).astimezone(UTC)
    if value.tzinfo is None:
        return value.replace(tzinfo=zone).astimezone(UTC)
    return value.astimezone(UTC)


def _declined_by(event, addresses: set[str]) -> bool:
    attendees = event.get("ATTENDEE")
    if attendees is None or not addresses:
        return False
    for attendee in attendees if isinstance(attendees, list) else [attendees]:
        email = str(attendee).lower().removeprefix("mailto:")
        if email in addresses and str(attendee.params.get("PARTSTAT", "")).upper() == "DECLINED":
            return True
    return False


def _blocks(event) -> bool:
    if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
        return False
    return str(event.get("STATUS", "CONFIRMED")).upper() != "CANCELLED"


_PER_DAY = {"YEARLY": 1 / 365, "MONTHLY": 1 / 28, "WEEKLY": 1 / 7, "DAILY": 1, "HOURLY": 24}
_BY_PARTS = ("BYMONTH", "BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY", "BYHOUR", "BYMINUTE", "BYSECOND")


def _estimated_occurrences(series, *, begin: datetime, end: datetime) -> int:
    """An upper estimate of the occurrences the series give in [begin, end), cheap enough to
    refuse a feed before the expander builds them all. A series that ended before ``begin``
    (UNTIL) gives none; COUNT caps a series."""
    days = (end - begin).total_seconds() / 86400
    total = 0.0
    for event in series.walk("VEVENT"):
        rule = event.get("RRULE")
        if rule is None:
            total += 1 + len(event.get("RDATE") or [])
            continue
        until = (rule.get("UNTIL") or [None])[0]
        if until is not None and _instant(until, UTC) < begin:
            continue
        frequency = str((rule.get("FREQ") or ["DAILY"])[0]).upper()
        interval = max(int((rule.get("INTERVAL") or [1])[0]), 1)
        estimate = days * _PER_DAY.get(frequency, 24) / interval + 1
        for part in _BY_PARTS:
            estimate *= max(len(rule.get(part) or []), 1)
        count = (rule.get("COUNT") or [None])[0]
        total += min(estimate, int(count)) if count is not None else estimate
    return int(total)


def _span(event, zone: ZoneInfo) -> tuple[datetime, datetime] | None:
    """An event's [start, end) in UTC, or None for one without a start or a length (an instant)."""
    start_value = event.get("DTSTART")
    if start_value is None:
        return None
    start = _instant(start_value.dt, zone)
    end_value = event.get("DTEND")
    if end_value is not None:
        return start, _instant(end_value.dt, zone)
    if event.get("DURATION") is not None:
        return start, start + event["DURATION"].dt
    if not isinstance(start_value.dt, datetime):
        return start, _instant(start_value.dt + timedelta(days=1), zone)  # an all-day event without an end
    return None  # an instant, not a stretch of time (RFC 5545 3.6.1)


def _merge(blocks: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(blocks):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def busy_blocks(
    data: bytes,
    *,
    begin: datetime,
    end: datetime,
    zone: ZoneInfo,
    own_addresses: set[str] = frozenset(),
    max_events: int = 20_000,
) -> list[tuple[datetime, datetime]]:
    """The busy [start, end) blocks (UTC, merged, clamped to [begin, end)) of an ICS file.

    ``max_events`` bounds both the VEVENTs in the file and the occurrences
    expanded in the window; more raises ``ParseError("too_many_events")``.
    """
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").upper().startswith(b"BEGIN:VCALENDAR"):
        raise ParseError("not_calendar")
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except Exception as error:  # icalendar raises ValueError, KeyError, IndexError… on a broken file
        raise ParseError("malformed") from error
    events = calendar.walk("VEVENT")
    if len(events) > max_events:
        raise ParseError("too_many_events")
    for event in events:
        rule = event.get("RRULE")
        if (
            rule is not None
            and str((rule.get("FREQ") or [""])[0]).upper() in _TOO_FREQUENT
            and event in calendar.subcomponents
        ):
            calendar.subcomponents.remove(event)
    addresses = {address.lower() for address in own_addresses}
    found: list[tuple[datetime, datetime]] = []
    try:
        # Google's X-WR-TIMEZONE first, for every event; then only series (RRULE, RDATE or a
        # RECURRENCE-ID override under their UID) go through the expander, and a one-off event is
        # read directly: most of a real feed, and the library's cost is per component.
        calendar = x_wr_timezone.to_standard(calendar)
        series_uids = {
            str(event.get("UID"))
            for event in calendar.walk("VEVENT")
            if event.get("UID") is not None and any(event.get(name) is not None for name in _SERIES)
        }
        series = icalendar.Calendar()
        singles = []
        for component in calendar.subcomponents:
            if component.name != "VEVENT":
                series.add_component(component)  # VTIMEZONEs, for the series' TZIDs
            elif component.get("UID") is not None and str(component.get("UID")) in series_uids:
                series.add_component(component)
            else:
                singles.append(component)
        if _estimated_occurrences(series, begin=begin, end=end) + len(singles) > max_events:
            raise ParseError("too_many_events")  # refused before expanding: an hourly series over a year
        occurrences = recurring_ical_events.of(series, skip_bad_series=True).between(begin, end)
        if len(occurrences) + len(singles) > max_events:
            raise ParseError("too_many_events")
        for occurrence in [*occurrences, *singles]:
            if not _blocks(occurrence) or _declined_by(occurrence, addresses):
                continue
            span = _span(occurrence, zone)
            if span is None:
                continue
            start, finish = max(span[0], begin), min(span[1], end)
            if finish > start:
                found.append((start, finish))
    except ParseError:
        raise
    except Exception as error:  # a broken rule or zone the libraries cannot read
        raise ParseError("malformed") from error
    return _merge(found)
