"""What ``/healthz/`` checks: the database, the cache and the job broker, each on its own.

Each check returns ``"ok"`` or ``"unavailable"``; the reason goes to the log (its exception
class and message, never the configured address, which may carry a password), not to the
answer, which anyone may read. The broker is Redis in production (``REDIS_URL``) and the
database through django-q2's ORM broker elsewhere; either way django-q2's own ``ping``.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django_q.brokers import get_broker

logger = logging.getLogger(__name__)

OK = "ok"
UNAVAILABLE = "unavailable"
CACHE_PROBE_KEY = "healthz:probe"


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_cache() -> None:
    # A value of our own, read back: a cache that drops writes (or answers another's) fails too.
    token = secrets.token_hex(8)
    cache.set(CACHE_PROBE_KEY, token, 30)
    if cache.get(CACHE_PROBE_KEY) != token:
        raise RuntimeError("the cache did not return what was written")


def check_broker() -> None:
    if not get_broker().ping():
        raise RuntimeError("the broker did not answer its ping")


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
}


def health_report() -> dict[str, str]:
    """``{"database": "ok", "cache": "unavailable", …}`` with every check run once."""
    report = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:  # noqa: BLE001 - any failure means "not healthy"
            logger.warning("Health check: %s unavailable (%s)", name, type(error).__name__)
            report[name] = UNAVAILABLE
        else:
            report[name] = OK
    return report
