"""Database down: a 503 "back in a moment" page with ``Retry-After``, logged once per outage.

While PostgreSQL restarts (or the network to it is gone), every request fails
on its first query: the session lookup, the menus, the view. Django turns each
into a 500 and logs each; instead ``taptime.views.server_error`` asks
``database_unavailable_response`` for a self-contained page rendered without a
request context (so without a query) and status 503 with ``Retry-After``.

The outage is logged once, when the first request hits it, and once more when a
connection succeeds again (``connection_created``), with how many requests were
turned away in between. The state is per process: each web worker logs its own
two lines, however many requests it answered meanwhile.

Lock timeouts are not outages: ``core.middleware.BusyMiddleware`` answers those.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

from .locking import is_lock_timeout

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
# SQLSTATE class 08 (connection exception) and the server shutting down or starting up.
SERVER_GONE = {"57P01", "57P02", "57P03"}
SQLITE_CANTOPEN = 14


def is_database_unreachable(error: BaseException | None) -> bool:
    """Whether ``error`` means "cannot talk to the database at all" rather than a failed statement."""
    if not isinstance(error, OperationalError | InterfaceError) or is_lock_timeout(error):
        return False
    cause = error.__cause__
    if hasattr(cause, "sqlstate"):  # psycopg: no SQLSTATE at all when the connection itself failed
        state = cause.sqlstate
        return state is None or state.startswith("08") or state in SERVER_GONE
    if getattr(cause, "sqlite_errorcode", None) == SQLITE_CANTOPEN:
        return True
    # Django's "connection already closed" after the server went away.
    return isinstance(error, InterfaceError)


class Outage:
    """Whether this process is in a database outage, and how many requests it turned away."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.since: float | None = None
        self.turned_away = 0

    @property
    def active(self) -> bool:
        return self.since is not None

    def request_failed(self, error: BaseException) -> None:
        with self._lock:
            first = self.since is None
            if first:
                self.since = time.monotonic()
            self.turned_away += 1
        if first:
            logger.error("The database is unreachable; answering 503 until it is back: %s", error)

    def connection_made(self) -> None:
        with self._lock:
            if self.since is None:
                return
            seconds, turned_away = time.monotonic() - self.since, self.turned_away
            self.since, self.turned_away = None, 0
        logger.warning(
            "The database is reachable again after %.0f s; %d request(s) were answered 503 meanwhile.",
            seconds,
            turned_away,
        )


outage = Outage()


def connection_created_receive(sender, connection, **kwargs) -> None:  # noqa: ANN001
    """``connection_created``: a new connection succeeded, so an outage (if any) is over."""
    if outage.active:
        outage.connection_made()


def database_unavailable_response(error: BaseException) -> HttpResponse:
    """The 503 page for a request that failed because the database is unreachable."""
    outage.request_failed(error)
    # No request context: context processors would query the database again.
    response = HttpResponse(loader.get_template("database_unavailable.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # Logged once per outage above, not once per request by django.request.
    response._has_been_logged = True
    return response
