"""Django REST framework and the OpenAPI schema."""

import re

from django.core.exceptions import ImproperlyConfigured

from .env import env


def _rate(name: str, default: str) -> str:
    """A throttle rate from the environment ("120/min"), refused at start-up rather than on a request."""
    value = env(name, default=default)
    if not re.fullmatch(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)", value):
        raise ImproperlyConfigured(f'{name} must look like "120/min" (a count, "/", then s, min, hour or day)')
    return value


REST_FRAMEWORK = {
    # Tokens for apps and integrations; the site's own scripts use the session (with CSRF).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        # Apps signed in through allauth's headless API send its session token.
        "api.authentication.AppSessionTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Closed by default: an endpoint that anyone may read says so itself.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Every error as RFC 9457 problem details with a stable code (api/errors.py).
    "EXCEPTION_HANDLER": "api.errors.problem_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StartCursorPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.ClientIPAnonRateThrottle",
        "api.throttling.ClientIPUserRateThrottle",
    ],
    # Per client address for anonymous callers, per user (and so per token) for signed-in ones.
    "DEFAULT_THROTTLE_RATES": {
        "anon": _rate("API_THROTTLE_ANON", "120/min"),
        "user": _rate("API_THROTTLE_USER", "600/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "TapTime API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Only our public API belongs in the schema, not Wagtail's internal admin API.
    "PREPROCESSING_HOOKS": ["api.schema.only_public_api"],
    # The docs page loads Swagger UI from our own static files (drf-spectacular-sidecar), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "DESCRIPTION": (
        "TapTime's API for apps and integrations. Errors are RFC 9457 problem details "
        "(`application/problem+json`) with a stable `code`; lists are cursor-paginated; POSTs that hold "
        "time or move money accept an `Idempotency-Key`. Guide: docs/api.md."
    ),
    "SECURITY": [{"tokenAuth": []}, {"appSessionToken": []}, {"cookieAuth": []}],
    # A goal's status and a booking's are both fields named "status": name the goal's set on its own.
    "ENUM_NAME_OVERRIDES": {"GoalStatusEnum": "learning.models.Goal.Status"},
}
IDEMPOTENCY_KEY_HOURS = 48
# Outgoing webhooks may go to private and loopback addresses only in dev and tests (api.webhooks).
WEBHOOK_ALLOW_PRIVATE = False
