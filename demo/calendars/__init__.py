"""Two real-looking ICS exports the demo serves on loopback and connects to the demo expert.

``google.ics`` is shaped like Google Calendar's secret iCal address (X-WR-TIMEZONE,
a VTIMEZONE, times in UTC, a weekly meeting with an EXDATE and a moved instance,
an event shown as free, a declined invitation, a cancelled series);
``outlook.ics`` like an Outlook published calendar (Windows zone names, a weekly
call, a monthly all-day event, a free lunch). ``calendar_file`` serves them at
``/demo/calendars/<name>.ics`` (dev and test settings only: the demo app is not
installed in production).
"""

from __future__ import annotations

from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest

FOLDER = Path(__file__).resolve().parent
FILES = ("google", "outlook")


def calendar_file(request: HttpRequest, name: str) -> FileResponse:
    if name not in FILES:
        raise Http404
    return FileResponse((FOLDER / f"{name}.ics").open("rb"), content_type="text/calendar; charset=utf-8")
