"""Reads of marked selectors go to a read replica; everything else stays on the primary.

``DATABASE_REPLICA_URL`` adds a ``replica`` alias and sets ``DATABASE_READ_REPLICA``
(taptime/settings/observability.py). A selector whose screen tolerates a replica's lag (a
few seconds: public listings, browse, search) is decorated with ``@replica_reads``; while
it runs, ``ReplicaRouter`` sends its reads to the replica. Reads stay on the primary when

- no replica is configured;
- the code is not inside a ``replica_reads`` scope (every other read: services'
  lock-then-recheck, a view that just wrote and reads back);
- the primary connection is inside a transaction (``atomic``): the transaction's own
  writes and locks are only there.

Writes always go to the primary, migrations run on the primary only, and relations
across the two aliases are allowed (they hold the same data).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

P = ParamSpec("P")
R = TypeVar("R")

_replica_scope: ContextVar[bool] = ContextVar("replica_scope", default=False)


@contextmanager
def replica_scope() -> Iterator[None]:
    """Reads made inside may go to the replica (when one is configured and no transaction is open)."""
    token = _replica_scope.set(True)
    try:
        yield
    finally:
        _replica_scope.reset(token)


def replica_reads(function: Callable[P, R]) -> Callable[P, R]:
    """Marks a selector whose reads may be served by the replica."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with replica_scope():
            return function(*args, **kwargs)

    return wrapper


def read_alias() -> str:
    """The alias a read made here and now goes to."""
    replica = settings.DATABASE_READ_REPLICA
    if not replica or not _replica_scope.get() or replica not in connections.settings:
        return DEFAULT_DB_ALIAS
    if _in_transaction(connections[DEFAULT_DB_ALIAS]):
        return DEFAULT_DB_ALIAS
    return replica


def _in_transaction(connection) -> bool:
    """An ``atomic`` block of the code's own is open (the test suite's wrapping one does not count,
    as Django's ``durable`` check does not count it either)."""
    if not connection.in_atomic_block:
        return False
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        return read_alias()

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS
