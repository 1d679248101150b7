"""DRF throttles keyed on the client address every other rate limit uses (core.http.client_ip)."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from core.http import client_ip


class ClientIPAnonRateThrottle(AnonRateThrottle):
    def get_ident(self, request: Request) -> str:
        return client_ip(request)


class ClientIPUserRateThrottle(UserRateThrottle):
    """Signed-in users are counted per user; anonymous requests per client address."""

    def get_ident(self, request: Request) -> str:
        return client_ip(request)
