"""Calls to outside providers' JSON APIs (Zoom, Google, Microsoft): one timeout, one way to fail.

Each adapter family passes its own error class (``VideoProviderError``,
``CalendarSyncError``); both take ``(message, *, retryable=...)``. A network
failure and a body that is not a JSON object are retryable: the outbox tries again.
"""

from __future__ import annotations

from typing import Any

import requests

# Connect and read timeouts, seconds: an outbox worker or a slot listing never waits long on a provider.
TIMEOUT = (3.05, 10)


def send(provider: str, method: str, url: str, *, error: type[Exception], **kwargs: Any) -> requests.Response:
    """One HTTP call with our timeouts; a network failure becomes a retryable ``error``."""
    try:
        return requests.request(method, url, timeout=TIMEOUT, **kwargs)
    except requests.RequestException as failure:
        raise error(f"{provider} unreachable: {type(failure).__name__}", retryable=True) from None


def json_body(provider: str, response: requests.Response, *, error: type[Exception]) -> dict[str, Any]:
    """The answer's JSON object, or a retryable ``error`` when it has none."""
    try:
        body = response.json()
    except ValueError:
        raise error(f"{provider} answered {response.status_code} without JSON", retryable=True) from None
    if not isinstance(body, dict):
        raise error(f"{provider} answered an unexpected JSON shape", retryable=True)
    return body
