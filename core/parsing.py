"""Untrusted request values read the same way everywhere: a value or ``None``, never an exception.

``datetime.fromisoformat`` accepts years 1 to 9999 and any offset under a day,
so an instant a browser can post may lie where arithmetic on it overflows:
``0001-01-01T00:00:00+14:00`` cannot even be converted to UTC, and
``9999-12-31T23:00:00+00:00`` plus a session length is past ``datetime.max``.
Every instant read from a request is therefore bounded to ``EARLIEST``..``LATEST``,
far inside what the slot engine and the database can add days to. Integers get
explicit bounds too: PostgreSQL's ``integer`` stops at 2**31 - 1, and a larger
number in a query is a database error, not a "no match".
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(3000, 1, 1, tzinfo=UTC)
# Longer than any ISO 8601 instant with microseconds and an offset.
MAX_INSTANT_LENGTH = 40
MAX_INT_LENGTH = 20


def parse_instant(raw: Any) -> datetime | None:
    """An ISO 8601 instant with an offset, in UTC; ``None`` if malformed, naive or outside [EARLIEST, LATEST)."""
    if not isinstance(raw, str) or len(raw) > MAX_INSTANT_LENGTH:
        return None
    try:
        value = datetime.fromisoformat(raw.strip())
        if value.tzinfo is None or value.utcoffset() is None:
            return None
        value = value.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return value if EARLIEST <= value < LATEST else None


def parse_int(raw: Any, *, minimum: int, maximum: int) -> int | None:
    """A whole number in [minimum, maximum] written in ASCII digits (an optional sign); else ``None``."""
    if raw is None:
        return None
    text = str(raw).strip()
    digits = text[1:] if text[:1] in "+-" else text
    if not digits or len(text) > MAX_INT_LENGTH or not (digits.isascii() and digits.isdigit()):
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None
