"""Fetch an ICS address without letting it hurt us: public hosts only, timeouts, a size cap, redirects by hand.

* Only ``http``/``https`` (a ``webcal://`` address is stored as ``https://``).
* Every hop's host is resolved and refused when any address is private,
  loopback, link-local, reserved or multicast (``core.public_address``);
  ``allow_loopback`` lets the demo and tests fetch from 127.0.0.1. Redirects
  are followed by hand (at most ``MAX_REDIRECTS``) so each hop is checked.
* Connect timeout 5 s, read timeout 10 s per read and 10 s for the whole body.
* The body is streamed and abandoned past ``max_bytes``.
* Conditional: the stored ETag and Last-Modified go back as ``If-None-Match``
  and ``If-Modified-Since``; a 304 returns at once with nothing to parse.

A known limit: the host is resolved for the check and again by ``requests``
to connect; a DNS answer that changes in between (rebinding) is not caught.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests

from core.public_address import host_problem

CONNECT_TIMEOUT = 5
READ_TIMEOUT = 10
MAX_REDIRECTS = 5
_REDIRECTS = {301, 302, 303, 307, 308}
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchResult:
    not_modified: bool
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""


class FetchError(Exception):
    """The address gave us no calendar. ``code`` says why; ``detail`` is the HTTP status when there is one.

    Codes: "bad_address", "unresolved", "private", "redirects", "status", "too_large",
    "not_calendar", "timeout", "connect".
    """

    def __init__(self, code: str, detail: int | None = None) -> None:
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


def url_normalize(url: str) -> str:
    """``webcal://`` is how calendars ask to be subscribed to: it means https."""
    url = url.strip()
    if url[:9].lower() == "webcal://":
        return "https://" + url[9:]
    return url


def _check(url: str, *, allow_loopback: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        raise FetchError("bad_address")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchError("bad_address") from None
    problem = host_problem(parts.hostname, port, allow_loopback=allow_loopback)
    if problem is not None:
        raise FetchError(problem)


def fetch_calendar(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    allow_loopback: bool = False,
    max_bytes: int = 5 * 1024 * 1024,
    session: requests.Session | None = None,
) -> FetchResult:
    """GET ``url`` conditionally and return its body (or ``not_modified``); raise ``FetchError`` otherwise."""
    http = session or requests
    headers = {"Accept": "text/calendar, */*;q=0.5", "User-Agent": "TapTime calendar import"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    url = url_normalize(url)
    for _hop in range(MAX_REDIRECTS + 1):
        _check(url, allow_loopback=allow_loopback)
        try:
            response = http.get(
                url, headers=headers, timeout=(CONNECT_TIMEOUT, READ_TIMEOUT), stream=True, allow_redirects=False
            )
        except requests.ConnectTimeout:
            raise FetchError("timeout") from None
        except requests.Timeout:
            raise FetchError("timeout") from None
        except requests.RequestException:
            raise FetchError("connect") from None
        with response:
            if response.status_code in _REDIRECTS and response.headers.get("Location"):
                url = urljoin(url, response.headers["Location"])
                continue
            if response.status_code == 304:
                return FetchResult(not_modified=True, etag=etag, last_modified=last_modified)
            if response.status_code != 200:
                raise FetchError("status", response.status_code)
            if "html" in response.headers.get("Content-Type", "").lower():
                raise FetchError("not_calendar")
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise FetchError("too_large")
            body = _read(response, max_bytes=max_bytes)
            return FetchResult(
                not_modified=False,
                body=body,
                etag=response.headers.get("ETag", "")[:300],
                last_modified=response.headers.get("Last-Modified", "")[:100],
            )
    raise FetchError("redirects")


def _read(response: requests.Response, *, max_bytes: int) -> bytes:
    """The body, refused past ``max_bytes`` or after ``READ_TIMEOUT`` seconds in all (a slow drip)."""
    deadline = time.monotonic() + READ_TIMEOUT
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_content(_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise FetchError("too_large")
            if time.monotonic() > deadline:
                raise FetchError("timeout")
            chunks.append(chunk)
    except requests.RequestException:
        raise FetchError("timeout") from None
    return b"".join(chunks)
