"""The version of an expert's cached slot-picker fragments (bookings.views.slot_fragment).

Each expert has a version token in the cache, part of every fragment key. Whatever can move
their free times (a hold, a booking confirmed, cancelled or moved, hours, days off, a calendar
import, session types, the profile's status or zone) already announces itself through
``expert_next_available_refresh_on_commit``; that drops the version now and again on commit,
so the next request renders afresh and the old entries expire unread
(``SLOT_FRAGMENT_CACHE_SECONDS``). A fragment that is stale for another reason (the clock moving
past a slot's minimum notice) lasts at most that long, and booking a stale time is refused by
the hold itself.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction


def _key(expert_id: int) -> str:
    return f"slots:v:{expert_id}"


def slot_fragment_version(*, expert_id: int) -> str:
    key = _key(expert_id)
    version = cache.get(key)
    if version is None:
        cache.add(key, secrets.token_hex(6), None)
        version = cache.get(key) or "0"
    return version


def slot_fragments_invalidate(*, user_ids: Iterable[int]) -> None:
    """These experts' fragments go, now and when the current transaction commits."""
    keys = [_key(user_id) for user_id in set(user_ids)]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys), robust=True)
