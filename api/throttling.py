"""DRF throttles keyed on the client address every other rate limit uses (core.http.client_ip),
on the user for a signed-in session, and on the token for a token: each token has its own budget."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from accounts.models import ApiToken
from core.http import client_ip


class ClientIPAnonRateThrottle(AnonRateThrottle):
    def get_ident(self, request: Request) -> str:
        return client_ip(request)


class ClientIPUserRateThrottle(UserRateThrottle):
    """Signed-in users are counted per user (per token with a token); anonymous requests per client address."""

    def get_ident(self, request: Request) -> str:
        return client_ip(request)

    def get_cache_key(self, request: Request, view) -> str | None:
        if isinstance(request.auth, ApiToken):
            return self.cache_format % {"scope": self.scope, "ident": f"token-{request.auth.pk}"}
        return super().get_cache_key(request, view)
