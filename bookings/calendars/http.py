"""What the Google and Microsoft calendar adapters share: timeouts, error mapping, token refresh, a bearer call."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from core import outbound_http

from . import CalendarSyncError, Tokens

TIMEOUT = outbound_http.TIMEOUT
# A token is refreshed this long before it expires (clock skew, a slow request).
TOKEN_MARGIN = timedelta(seconds=60)


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    return float(min(int(value), 24 * 3600)) if value.isdigit() else None


def error_from_response(provider: str, response: requests.Response) -> CalendarSyncError:
    status = response.status_code
    # Google also answers 403 with reason rateLimitExceeded / userRateLimitExceeded for rate limits.
    rate_limited = status == 429 or (status == 403 and "ateLimitExceeded" in response.text[:2000])
    return CalendarSyncError(
        f"{provider} answered {status}: {response.text[:300]}",
        status=status,
        retryable=rate_limited or status >= 500,
        retry_after=_retry_after(response) if rate_limited or status == 503 else None,
    )


def send(provider: str, method: str, url: str, **kwargs: Any) -> requests.Response:
    """One HTTP call with our timeouts; network failures become a retryable ``CalendarSyncError``."""
    return outbound_http.send(provider, method, url, error=CalendarSyncError, **kwargs)


def json_body(provider: str, response: requests.Response) -> dict[str, Any]:
    return outbound_http.json_body(provider, response, error=CalendarSyncError)


def token_request(provider: str, url: str, data: dict[str, str], *, now: datetime, refresh_token: str = "") -> Tokens:
    """POST an OAuth 2.0 token request (code exchange or refresh); ``invalid_grant`` is a revoked grant.

    Both providers answer ``{"access_token", "expires_in", "token_type": "Bearer", "scope",
    "refresh_token"?}``; a refresh may omit ``refresh_token`` (Google), and then the old one stays.
    """
    response = send(provider, "POST", url, data=data)
    if response.status_code != 200:
        try:
            code = response.json().get("error", "")
        except (ValueError, AttributeError):
            code = ""
        if code == "invalid_grant":
            raise CalendarSyncError(f"{provider} refused the grant (invalid_grant)", status=400, revoked=True)
        raise error_from_response(provider, response)
    body = json_body(provider, response)
    access = body.get("access_token")
    if not isinstance(access, str) or not access:
        raise CalendarSyncError(f"{provider} answered without an access_token", retryable=False)
    try:
        lifetime = max(int(body.get("expires_in", 3600)), 0)
    except (TypeError, ValueError):
        lifetime = 3600
    refresh = body.get("refresh_token") or refresh_token
    if not refresh:
        raise CalendarSyncError(f"{provider} gave no refresh_token (offline access not granted)", retryable=False)
    return Tokens(access_token=access, refresh_token=refresh, expires_at=now + timedelta(seconds=lifetime))


class BearerClient:
    """Calls an API with the connection's access token: refreshed first when it has expired, and once
    more on a 401 (revoked early); a second 401 is not retried."""

    def __init__(
        self,
        *,
        provider: str,
        tokens: Tokens,
        refresh: Callable[[str], Tokens],
        on_refresh: Callable[[Tokens], None],
        clock: Callable[[], datetime],
    ):
        self.provider = provider
        self.tokens = tokens
        self._refresh = refresh
        self.on_refresh = on_refresh
        self.clock = clock

    def _renew(self) -> None:
        self.tokens = self._refresh(self.tokens.refresh_token)
        self.on_refresh(self.tokens)

    def call(self, method: str, url: str, *, ok: tuple[int, ...], **kwargs: Any) -> requests.Response:
        if self.tokens.expires_at - TOKEN_MARGIN <= self.clock():
            self._renew()
        extra_headers = kwargs.pop("headers", {})
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self.tokens.access_token}", **extra_headers}
            response = send(self.provider, method, url, headers=headers, **kwargs)
            if response.status_code == 401 and attempt == 1:
                self._renew()
                continue
            if response.status_code in ok:
                return response
            raise error_from_response(self.provider, response)
        raise AssertionError("unreachable")  # pragma: no cover


def utc_now() -> datetime:
    return datetime.now(UTC)
