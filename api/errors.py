"""Every API error in one shape: RFC 9457 problem details with a stable ``code``.

::

    {"type": "urn:taptime:problem:slot_taken", "title": "Conflict", "status": 409,
     "detail": "This slot was just taken. Please choose another time.",
     "code": "slot_taken", "instance": "/api/v1/bookings/", "errors": [...]}

``code`` is what clients branch on; ``detail`` is the translated sentence the
site shows for the same refusal; ``errors`` lists field errors
(``{"field", "code", "detail"}``) for a 400. Domain refusals are the same
``core.errors.ApplicationError`` subclasses the views catch: their ``code``
becomes the API's, through ``DOMAIN_CODES`` where several domain codes are one
thing to a client (``taken`` and ``taken_by_constraint`` are both ``slot_taken``).
Anything that is neither a DRF exception nor an ``ApplicationError`` is a bug
and stays a 500.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import set_rollback

from core.errors import ApplicationError, Busy
from core.locking import is_lock_timeout
from core.middleware import RETRY_AFTER_SECONDS

PROBLEM_TYPE = "urn:taptime:problem:{code}"
PROBLEM_CONTENT_TYPE = "application/problem+json"

# Domain code -> (API code, HTTP status). Codes not listed keep their name and get DEFAULT_STATUS.
DOMAIN_CODES: dict[str, tuple[str, int]] = {
    "taken": ("slot_taken", 409),
    "taken_by_constraint": ("slot_taken", 409),
    "learner_busy": ("learner_busy", 409),
    "hold_expired": ("hold_expired", 409),
    "not_expired": ("not_expired", 409),
    "too_late": ("not_cancellable", 409),
    "not_confirmed": ("not_cancellable", 409),
    "already_cancelled": ("not_cancellable", 409),
    "not_learner": ("not_found", 404),
    "in_flight": ("in_flight", 409),
    "already_paid": ("already_paid", 409),
    "not_movable": ("not_movable", 409),
    "same_time": ("same_time", 422),
    "proposal_closed": ("proposal_closed", 409),
    "proposal_lapsed": ("proposal_lapsed", 409),
    "not_expert": ("not_found", 404),
    "started": ("not_cancellable", 409),
    "learner_cancelling": ("in_flight", 409),
    "expert_cancelling": ("in_flight", 409),
    "not_completed": ("not_ratable", 409),
    "window_closed": ("not_ratable", 409),
    # A domain refusal raised without a code of its own (some catalogue rules): still one stable code.
    "error": ("rule_violation", 422),
    "card_declined": ("card_declined", 402),
    "busy": ("busy", 503),
    "holds_per_hour": ("limit_reached", 429),
    "unpaid_holds_per_expert": ("limit_reached", 429),
    "declined_payments": ("limit_reached", 429),
    "gateway_error": ("payment_service_unavailable", 502),
    # Messages (bookings.services.messages)
    "rate_limited": ("limit_reached", 429),
    "blocked": ("blocked", 403),
    "questions_closed": ("questions_closed", 403),
    "not_participant": ("not_found", 404),
    "self": ("not_found", 404),
    "too_big": ("too_big", 413),
    "wrong_type": ("wrong_type", 415),
    "extension_mismatch": ("wrong_type", 415),
    "macros": ("wrong_type", 415),
    "bomb": ("wrong_type", 415),
    "refund_failed": ("payment_service_unavailable", 502),
    "no_intent": ("payment_service_unavailable", 502),
    "below_minimum": ("below_minimum", 422),
    "insufficient_funds": ("insufficient_funds", 409),
    "no_payout_account": ("no_payout_account", 409),
    "payout_account_not_ready": ("payout_account_not_ready", 409),
    "bad_currency": ("bad_currency", 422),
}
DEFAULT_STATUS = 422
# Domain refusals the API's services raise that keep their own name and DEFAULT_STATUS (422):
# listed so the schema's catalogue names every code a client can meet
# (tests/api/test_error_catalog.py scans the services the API calls for any left out).
DOMAIN_REFUSALS: tuple[str, ...] = (
    "answered",
    "bad_amount",
    "bad_method",
    "bad_status",
    "conflict",
    "duplicate",
    "empty",
    "invalid_buffer",
    "invalid_horizon",
    "invalid_notice",
    "invalid_step",
    "invalid_weekly_hours",
    "live_mode",
    "not_accepted",
    "not_live_mode",
    "not_offered",
    "not_test_mode",
    "out_of_range",
    "outside_availability",
    "past",
    "past_date",
    "rating_required",
    "self_booking",
    "too_far",
    "too_many",
    "too_long",
    "too_many_goals",
    "too_soon",
)

# DRF exception class -> API code (the first that matches, in order).
DRF_CODES: list[tuple[type[exceptions.APIException], str]] = [
    (exceptions.ValidationError, "invalid"),
    (exceptions.ParseError, "malformed_request"),
    (exceptions.NotAuthenticated, "not_authenticated"),
    (exceptions.AuthenticationFailed, "authentication_failed"),
    (exceptions.PermissionDenied, "permission_denied"),
    (exceptions.NotFound, "not_found"),
    (exceptions.MethodNotAllowed, "method_not_allowed"),
    (exceptions.NotAcceptable, "not_acceptable"),
    (exceptions.UnsupportedMediaType, "unsupported_media_type"),
    (exceptions.Throttled, "throttled"),
]

# Every code a client can meet, for the schema and docs/api.md.
ERROR_CODES: dict[str, int] = {
    "invalid": 400,
    "malformed_request": 400,
    "not_authenticated": 401,
    "authentication_failed": 401,
    "permission_denied": 403,
    "insufficient_scope": 403,
    "not_found": 404,
    "method_not_allowed": 405,
    "not_acceptable": 406,
    "unsupported_media_type": 415,
    "idempotency_key_reused": 422,
    "idempotency_key_invalid": 400,
    "idempotency_in_progress": 409,
    "throttled": 429,
    **dict(DOMAIN_CODES.values()),
    **dict.fromkeys(DOMAIN_REFUSALS, DEFAULT_STATUS),
}


class ProblemError(exceptions.APIException):
    """An API-level refusal with its own code (a scope missing, an idempotency key reused)."""

    def __init__(self, detail: str, *, code: str, status: int) -> None:
        super().__init__(detail=detail, code=code)
        self.status_code = status


def problem(*, code: str, status: int, detail: str, request=None, **extra: Any) -> Response:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE.format(code=code),
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if request is not None:
        body["instance"] = request.path
    body.update(extra)
    return Response(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


def _field_errors(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """DRF's nested error dict/list flattened to ``[{"field": "a.b", "code": ..., "detail": ...}]``."""
    if isinstance(detail, dict):
        found: list[dict[str, str]] = []
        for key, value in detail.items():
            name = "" if key == "non_field_errors" else str(key)
            found += _field_errors(value, f"{prefix}.{name}" if prefix and name else prefix or name)
        return found
    if isinstance(detail, list):
        found = []
        for index, value in enumerate(detail):
            nested = isinstance(value, dict | list)
            found += _field_errors(value, f"{prefix}.{index}" if nested and prefix else prefix)
        return found
    return [{"field": prefix, "code": getattr(detail, "code", "invalid") or "invalid", "detail": str(detail)}]


def _drf_problem(exc: exceptions.APIException, request) -> Response:
    code = next((name for cls, name in DRF_CODES if isinstance(exc, cls)), None)
    if isinstance(exc, ProblemError):
        code = exc.get_codes()
    code = code or "error"
    extra: dict[str, Any] = {}
    if isinstance(exc, exceptions.ValidationError):
        extra["errors"] = _field_errors(exc.detail)
        detail = _("Some of the values sent are not valid; see errors.")
    else:
        detail = str(exc.detail)
    response = problem(code=code, status=exc.status_code, detail=detail, request=request, **extra)
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        response["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
    return response


def application_problem(error: ApplicationError, request=None) -> Response:
    code, status = DOMAIN_CODES.get(error.code, (error.code, DEFAULT_STATUS))
    extra: dict[str, Any] = {}
    if code != error.code:
        extra["reason"] = error.code
    response = problem(code=code, status=status, detail=error.message, request=request, **extra)
    if status in (429, 503):
        response["Retry-After"] = str(RETRY_AFTER_SECONDS if status == 503 else 60)
    return response


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """``REST_FRAMEWORK["EXCEPTION_HANDLER"]``: DRF's exceptions and domain refusals as problem details."""
    request = context.get("request")
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif is_lock_timeout(exc):
        exc = Busy(_("Someone else is changing this right now. Please try again in a moment."), code="busy")
    if isinstance(exc, exceptions.APIException):
        set_rollback()
        response = _drf_problem(exc, request)
        if getattr(exc, "auth_header", None):
            response["WWW-Authenticate"] = exc.auth_header
        return response
    if isinstance(exc, ApplicationError):
        set_rollback()
        return application_problem(exc, request)
    return None
