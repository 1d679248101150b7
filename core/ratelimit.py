"""A fixed-window rate limit in the shared cache (Redis in production), for endpoints without users.

Hits are counted per scope and key (a client address) in windows of
``window_seconds``: ``cache.add`` opens a window's counter atomically and
``cache.incr`` counts on, so web processes share one count. On the embedded
demo (local-memory cache) the count is per process, which is all a laptop needs.
"""

from __future__ import annotations

import time

from django.core.cache import cache


def rate_limit_hit(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit for ``key``; True if this hit is over ``limit`` within the current window."""
    window = int(time.time() // window_seconds)
    cache_key = f"ratelimit:{scope}:{key}:{window}"
    if cache.add(cache_key, 1, timeout=window_seconds + 1):
        return limit < 1
    try:
        return cache.incr(cache_key) > limit
    except ValueError:  # the window's counter expired between the two calls
        cache.add(cache_key, 1, timeout=window_seconds + 1)
        return limit < 1
