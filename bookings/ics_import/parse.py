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

# Series that repeat every second or minute would expand into tens of thousands of
# blocks; no real busy time looks like that, so such a series is skipped.
_TOO_FREQUENT = {"SECONDLY", "MINUTELY"}


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
        query = recurring_ical_events.of(calendar, skip_bad_series=True)
        for count, occurrence in enumerate(query.between(begin, end)):
            if count >= max_events:
                raise ParseError("too_many_events")
            if not _blocks(occurrence) or _declined_by(occurrence, addresses):
                continue
            start_value = occurrence.get("DTSTART")
            if start_value is None:
                continue
            start = _instant(start_value.dt, zone)
            end_value = occurrence.get("DTEND")
            if end_value is not None:
                finish = _instant(end_value.dt, zone)
            elif occurrence.get("DURATION") is not None:
                finish = start + occurrence["DURATION"].dt
            elif not isinstance(start_value.dt, datetime):
                finish = _instant(start_value.dt + timedelta(days=1), zone)  # an all-day event without an end
            else:
                continue  # an instant, not a stretch of time (RFC 5545 3.6.1)
            start, finish = max(start, begin), min(finish, end)
            if finish > start:
                found.append((start, finish))
    except ParseError:
        raise
    except Exception as error:  # a broken rule or zone the libraries cannot read
        raise ParseError("malformed") from error
    return _merge(found)
