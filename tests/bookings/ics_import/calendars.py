"""ICS text for the import tests, shaped like what Google and Outlook export."""

from __future__ import annotations


def ics(*events: str, header: str = "") -> bytes:
    body = "\r\n".join(
        ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Google Inc//Google Calendar 70.9054//EN", *filter(None, [header])]
        + [line for event in events for line in event.strip().splitlines()]
        + ["END:VCALENDAR", ""]
    )
    return body.encode()


def event(uid: str, start: str, end: str, *extra: str) -> str:
    """A VEVENT; ``start``/``end`` are whole property values after the name, e.g. ";TZID=Europe/Berlin:20260601T090000"."""
    return "\n".join(["BEGIN:VEVENT", f"UID:{uid}", f"DTSTART{start}", f"DTEND{end}", *extra, "END:VEVENT"])
