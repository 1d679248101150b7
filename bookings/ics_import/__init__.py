"""Busy times in from any ICS calendar: fetch an address safely (``fetch``), turn the file into busy blocks (``parse``).

No ORM here: ``bookings.services.calendars`` stores what these return. Each
failure is an exception whose ``code`` the service words in plain language
for the expert (``bookings.services.calendars.FAILURE_WORDS``).
"""

from .fetch import FetchError, FetchResult, fetch_calendar
from .parse import ParseError, busy_blocks

__all__ = ["FetchError", "FetchResult", "ParseError", "busy_blocks", "fetch_calendar"]
