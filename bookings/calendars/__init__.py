"""Adapters for experts' own Google and Outlook calendars: busy times in, sessions out.

Nothing here knows a booking or the database: an adapter is built from a
connection's tokens (``Tokens``) and answers plain values (``Busy``) or a
``CalendarSyncError``. ``requests`` objects never leave this package.

Tokens: an expired access token (by its expiry, or a 401) is refreshed once
through the provider's token endpoint and the adapter's ``on_refresh`` is
called with the new tokens (the caller stores them encrypted). A refresh
answered ``invalid_grant`` means the expert revoked our access (or the grant
expired): ``CalendarSyncError.revoked``, and no retry can help. A 429 (or
Google's 403 rate-limit reasons) and 5xx answers or network failures are
``retryable`` with the provider's ``Retry-After`` in ``retry_after``, which
the outbox honours (``core.outbox._retry_delay``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


class CalendarSyncError(Exception):
    """A calendar call failed. ``retryable``: a later attempt may succeed; ``revoked``: the expert must reconnect."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retryable: bool = False,
        retry_after: float | None = None,
        revoked: bool = False,
    ):
        super().__init__(message)
        self.status = status
        self.retryable = retryable
        self.retry_after = retry_after
        self.revoked = revoked


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_at: datetime  # aware, UTC


@dataclass(frozen=True)
class Busy:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class CalendarChoice:
    """A calendar of the connected account that sessions can be written to."""

    id: str
    name: str
    primary: bool = False


# At most this many pages of a calendar list are read (Google pages by 100, Graph by 10 by default).
MAX_LIST_PAGES = 5


@dataclass(frozen=True)
class SessionEvent:
    """A session as it is written into the expert's calendar: no one's email address, no attendees."""

    ref: str
    start: datetime
    end: datetime
    summary: str
    join_url: str


class CalendarAdapter(Protocol):
    name: str

    def busy(self, start: datetime, end: datetime) -> list[Busy]: ...

    def calendars(self) -> list[CalendarChoice]: ...

    def event_create(self, event: SessionEvent) -> str: ...

    def event_update(self, event_id: str, event: SessionEvent) -> None: ...

    def event_delete(self, event_id: str) -> None: ...
