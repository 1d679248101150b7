"""A request id on every request, every response and every log line written while it runs.

``RequestIdMiddleware`` (first in ``MIDDLEWARE``) takes the ``X-Request-ID`` the load
balancer or client sent when it is a plausible id (1–128 characters of letters, digits
and ``-_.:``; anything else could forge or break log lines) and otherwise makes a new one
(32 hex digits). The id is kept in a context variable for the request's duration, echoed in
the response's ``X-Request-ID`` header, and ``RequestIdFilter`` puts it on every log record
(``request_id``, ``-`` outside a request) so the JSON logs of nginx, gunicorn and Django
can be joined on it. Outgoing calls of ours may pass it on with ``current_request_id()``.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
NO_REQUEST = "-"
_VALID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

_current: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)


def request_id_clean(value: str | None) -> str | None:
    """The incoming id if it is safe to log and echo, else None."""
    if value and _VALID.fullmatch(value):
        return value
    return None


def request_id_new() -> str:
    return uuid.uuid4().hex


def current_request_id() -> str:
    """The id of the request being handled in this thread or task, ``-`` outside one."""
    return _current.get()


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_clean(request.META.get(META_KEY)) or request_id_new()
        request.request_id = request_id
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (for the JSON and plain formatters alike)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _current.get()
        return True
