"""Facts about a request every app asks the same way."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid_address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client's address, the one rule every rate limit and record uses.

    ``TRUSTED_PROXY_COUNT`` says how many reverse proxies we run in front of the
    web processes. Each proxy appends the address it saw to X-Forwarded-For,
    so with N proxies the client is the Nth entry from the right; everything to
    the left of it was written by the client and is ignored. With 0 proxies the
    header is ignored entirely and the address is REMOTE_ADDR.

    A header with fewer entries than proxies, or an entry that is not an IP
    address, did not come through our proxies as configured: then REMOTE_ADDR
    (the nearest hop) is used, never a client-supplied value.
    """
    remote = _valid_address(request.META.get("REMOTE_ADDR", "")) or "unknown"
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    return _valid_address(forwarded[-proxies]) or remote
