"""Bounded lock waits: a request that cannot get its row locks soon answers "busy", never a 500.

On PostgreSQL every connection carries ``lock_timeout`` (``LOCK_TIMEOUT_SECONDS``,
set once in the connection options by the settings, so it costs no statement on
the hold path): a request that queues behind a slow one gives up after that long
instead of holding a web worker indefinitely. On SQLite the IMMEDIATE
transaction's busy timeout bounds the wait in the same way.

``locked_transaction()`` is ``transaction.atomic()`` that turns such a timeout
into ``Busy``, a domain error every interface shows as "try again in a
moment". ``BusyMiddleware`` catches whatever escapes a view the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import OperationalError, connection, transaction
from django.utils.translation import gettext as _

from .errors import Busy

# PostgreSQL's SQLSTATE for "lock_not_available" (lock_timeout expired, or NOWAIT).
LOCK_NOT_AVAILABLE = "55P03"


def busy_error() -> Busy:
    return Busy(_("Someone else is changing this right now. Please try again in a moment."), code="busy")


def is_lock_timeout(error: BaseException) -> bool:
    """Whether a database error means "could not get the lock in time" (PostgreSQL or SQLite)."""
    if not isinstance(error, OperationalError):
        return False
    if getattr(error.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE:
        return True
    return connection.vendor == "sqlite" and "database is locked" in str(error)


@contextmanager
def locked_transaction(*, durable: bool = False) -> Iterator[None]:
    """``transaction.atomic()`` for code that takes row locks: a lock wait that times out raises ``Busy``."""
    try:
        with transaction.atomic(durable=durable):
            yield
    except OperationalError as error:
        if is_lock_timeout(error):
            raise busy_error() from error
        raise
