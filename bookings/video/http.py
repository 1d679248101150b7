"""What the Zoom and Google Meet adapters share: one error type, a cached OAuth token, a JSON call.

Nothing here knows a booking. An adapter's answer is a ``Room`` or a
``VideoProviderError``; ``requests`` objects never leave this package.

``VideoProviderError.retryable`` says whether trying again later can help: a
rate limit (429, with the provider's ``Retry-After`` in ``retry_after``), a
provider error (5xx) or a network failure can; a refused request (400, 403, 404,
or 401 once a fresh token was refused too) cannot, and is a configuration
problem for operators. The outbox reads ``retry_after`` to wait at least that
long before the next attempt.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from typing import Any

import requests
from django.core.cache import cache

from core import outbound_http

logger = logging.getLogger("bookings.video")

TIMEOUT = outbound_http.TIMEOUT
# A token is renewed this long before the provider says it expires (clock skew, a slow request).
TOKEN_MARGIN_SECONDS = 60


class VideoProviderError(Exception):
    """A provider refused or failed a call. ``retryable``: a later attempt may succeed."""

    def __init__(self, message: str, *, status: int | None = None, retryable: bool, retry_after: float | None = None):
        super().__init__(message)
        self.status = status
        self.retryable = retryable
        self.retry_after = retry_after


def _retry_after(response: requests.Response) -> float | None:
    """``Retry-After`` in seconds (only the delta form; an HTTP date is read as "unknown")."""
    value = response.headers.get("Retry-After", "").strip()
    if value.isdigit():
        return float(min(int(value), 24 * 3600))
    return None


def error_from_response(provider: str, response: requests.Response) -> VideoProviderError:
    status = response.status_code
    # Google Calendar also answers 403 (reason rateLimitExceeded / userRateLimitExceeded) for rate limits.
    rate_limited = status == 429 or (status == 403 and "ateLimitExceeded" in response.text[:2000])
    retryable = rate_limited or status >= 500
    # The body may say why (Zoom: {"code", "message"}; Google: {"error": {"message"}}); never the token.
    detail = response.text[:300]
    return VideoProviderError(
        f"{provider} answered {status}: {detail}",
        status=status,
        retryable=retryable,
        retry_after=_retry_after(response) if rate_limited else None,
    )


class TokenCache:
    """An OAuth access token kept in Django's cache (Redis in production, so every process shares it)
    until shortly before the provider says it expires; ``fetch`` gets a new one."""

    def __init__(self, *, key: str, fetch: Callable[[], dict[str, Any]], clock: Callable[[], float] = time.time):
        # The key names the credentials without containing them.
        self.key = "video-token:" + hashlib.sha256(key.encode()).hexdigest()[:32]
        self.fetch = fetch
        self.clock = clock

    def get(self) -> str:
        cached = cache.get(self.key)
        now = self.clock()
        if cached and cached["expires_at"] - TOKEN_MARGIN_SECONDS > now:
            return cached["token"]
        answer = self.fetch()
        token = answer.get("access_token")
        if not isinstance(token, str) or not token:
            raise VideoProviderError("token endpoint answered without an access_token", retryable=False)
        try:
            lifetime = max(int(answer.get("expires_in", 3600)), 0)
        except (TypeError, ValueError):
            lifetime = 3600
        cache.set(self.key, {"token": token, "expires_at": now + lifetime}, timeout=lifetime)
        return token

    def forget(self) -> None:
        cache.delete(self.key)


def send(provider: str, method: str, url: str, **kwargs: Any) -> requests.Response:
    """One HTTP call with our timeouts; network failures become a retryable ``VideoProviderError``."""
    return outbound_http.send(provider, method, url, error=VideoProviderError, **kwargs)


def json_body(provider: str, response: requests.Response) -> dict[str, Any]:
    return outbound_http.json_body(provider, response, error=VideoProviderError)


class BearerClient:
    """Calls an API with a cached bearer token; on a 401 the token is fetched again once
    (revoked, or expired early), and a second 401 is a configuration error."""

    def __init__(self, *, provider: str, tokens: TokenCache):
        self.provider = provider
        self.tokens = tokens

    def call(self, method: str, url: str, *, ok: tuple[int, ...], **kwargs: Any) -> requests.Response:
        extra_headers = kwargs.pop("headers", {})
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self.tokens.get()}", **extra_headers}
            response = send(self.provider, method, url, headers=headers, **kwargs)
            if response.status_code == 401 and attempt == 1:
                self.tokens.forget()
                continue
            if response.status_code in ok:
                return response
            raise error_from_response(self.provider, response)
        raise AssertionError("unreachable")  # pragma: no cover
