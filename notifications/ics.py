"""Calendar invitations (RFC 5545) for a session between two people.

This module knows nothing of bookings: the caller hands over plain values.
The UID is derived from the caller's stable reference and our domain, so an
update (a later SEQUENCE with the same UID) replaces the event in the
attendee's calendar instead of adding a second one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, vCalAddress, vDuration, vText

PRODID = "-//TapTime//Sessions//EN"


@dataclass(frozen=True)
class Person:
    name: str
    email: str


def invite_uid(*, reference: str, domain: str) -> str:
    return f"{reference}@{domain}"


def invite_build(
    *,
    reference: str,
    domain: str,
    start: datetime,
    end: datetime,
    summary: str,
    join_url: str,
    organizer: Person,
    attendees: list[Person],
    sequence: int = 0,
    description: str = "",
    method: str = "REQUEST",
    stamp: datetime | None = None,
) -> bytes:
    """Return an iCalendar file (bytes, CRLF line endings, folded at 75 octets)."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be timezone-aware")
    if end <= start:
        raise ValueError("an event must end after it starts")
    if method not in {"REQUEST", "CANCEL", "PUBLISH"}:
        raise ValueError(f"unsupported METHOD {method!r}")

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)

    event = Event()
    event.add("uid", invite_uid(reference=reference, domain=domain))
    event.add("dtstamp", (stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0))
    event.add("dtstart", start.astimezone(UTC))
    event.add("dtend", end.astimezone(UTC))
    event.add("sequence", sequence)
    event.add("summary", summary)
    event.add("description", "\n\n".join(part for part in (description, join_url) if part))
    event.add("location", join_url)
    event.add("url", join_url)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add("transp", "OPAQUE")

    host = vCalAddress(f"mailto:{organizer.email}")
    host.params["cn"] = vText(organizer.name)
    event.add("organizer", host)
    for person in attendees:
        guest = vCalAddress(f"mailto:{person.email}")
        guest.params["cn"] = vText(person.name)
        guest.params["role"] = vText("REQ-PARTICIPANT")
        guest.params["partstat"] = vText("ACCEPTED")
        guest.params["rsvp"] = vText("FALSE")
        event.add("attendee", guest, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()


@dataclass(frozen=True)
class FeedEvent:
    """One session in a subscribed calendar: plain values, no one's email address."""

    reference: str
    start: datetime
    end: datetime
    summary: str
    join_url: str
    sequence: int
    cancelled: bool
    stamp: datetime


def feed_build(
    *, name: str, domain: str, events: list[FeedEvent], refresh_minutes: int, description: str = ""
) -> bytes:
    """A published calendar (``METHOD:PUBLISH``) that calendar apps subscribe to and poll.

    Each event keeps the UID and SEQUENCE of the emailed invite for the same
    session, so an app that has both shows one event, and a cancellation with a
    higher SEQUENCE replaces it. No ORGANIZER or ATTENDEE lines: those carry
    email addresses, and a feed address may be shared further than an invite.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    if description:
        calendar.add("x-wr-caldesc", description)
    # RFC 7986 and its older Microsoft spelling: how often a subscriber should poll.
    calendar.add("refresh-interval", timedelta(minutes=refresh_minutes), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(timedelta(minutes=refresh_minutes)))
    for item in events:
        event = Event()
        event.add("uid", invite_uid(reference=item.reference, domain=domain))
        event.add("dtstamp", item.stamp.astimezone(UTC).replace(microsecond=0))
        event.add("dtstart", item.start.astimezone(UTC))
        event.add("dtend", item.end.astimezone(UTC))
        event.add("sequence", item.sequence)
        event.add("summary", item.summary)
        event.add("description", item.join_url)
        event.add("location", item.join_url)
        event.add("url", item.join_url)
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        event.add("transp", "TRANSPARENT" if item.cancelled else "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical()
