"""Project-wide middleware: "busy" answers for lock timeouts, "bad request" answers for input the
database cannot take, and the Permissions-Policy header."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DataError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from .errors import Busy
from .locking import is_lock_timeout

RETRY_AFTER_SECONDS = 5


class BusyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, Busy) and not is_lock_timeout(exception):
            return None
        response = render(request, "busy.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


logger = logging.getLogger(__name__)


def _bad_request(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "type": "about:blank",
                "title": "Bad request",
                "status": 400,
                "detail": "A value in the request is not one the service can read.",
                "code": "bad_input",
            },
            status=400,
            content_type="application/problem+json",
        )
    return render(request, "400.html", status=400)


class BadInputMiddleware:
    """Input no form validated that the database or the ORM then refuses is the visitor's mistake, not ours.

    A ``DataError`` (PostgreSQL refusing a value: out of range, malformed) or a
    field's own conversion error (``Field 'id' expected a number…``, raised by third-party views
    such as Wagtail's choosers) reaching the top becomes a 400 page with nothing changed; it is
    still logged with its traceback, so a view that should have validated is found and fixed.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        conversion = isinstance(exception, ValueError) and str(exception).startswith("Field '")
        if not (isinstance(exception, DataError | ValidationError) or conversion):
            return None
        logger.warning("Bad input reached %s %s", request.method, request.path, exc_info=exception)
        return _bad_request(request)


class PermissionsPolicyMiddleware:
    """Sends ``settings.PERMISSIONS_POLICY`` on every response that does not set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        return response
