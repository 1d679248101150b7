"""Facts about a request every app asks the same way."""

from __future__ import annotations

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address for rate limits: REMOTE_ADDR only.

    X-Forwarded-For is client-controlled unless a trusted proxy rewrites it, and
    a rate limit must not be that easy to dodge. Behind a proxy, have it set
    REMOTE_ADDR (gunicorn's ``--forwarded-allow-ips`` with a proxy that rewrites
    the header).
    """
    return request.META.get("REMOTE_ADDR", "") or "unknown"
