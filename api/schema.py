"""OpenAPI schema hooks and shared pieces (drf-spectacular)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers

from .errors import ERROR_CODES, PROBLEM_CONTENT_TYPE


def only_public_api(endpoints: list[tuple[str, str, str, Any]]) -> list[tuple[str, str, str, Any]]:
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


class FieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="Dotted path of the field; empty for the request as a whole.")
    code = serializers.CharField()
    detail = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details; ``code`` is stable, ``detail`` is translated."""

    type = serializers.CharField(help_text="`urn:taptime:problem:<code>`")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField(
        help_text=(
            "Stable and machine-readable; every code a client can meet (each operation's responses name "
            "the ones it can answer; docs/api.md says when): " + ", ".join(f"`{code}`" for code in sorted(ERROR_CODES))
        )
    )
    instance = serializers.CharField(required=False)
    reason = serializers.CharField(required=False, help_text="The domain's own, finer code when it differs.")
    errors = FieldErrorSerializer(many=True, required=False)


def _example(status: int, code: str, detail: str) -> OpenApiExample:
    value = {
        "type": f"urn:taptime:problem:{code}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
        "instance": "/api/v1/…",
    }
    return OpenApiExample(code, value, status_codes=[str(status)], media_type=PROBLEM_CONTENT_TYPE)


def _problem(status: int, *examples: tuple[str, str]) -> OpenApiResponse:
    return OpenApiResponse(
        ProblemSerializer,
        description=HTTPStatus(status).phrase + ": " + ", ".join(f"`{code}`" for code, _detail in examples),
        examples=[_example(status, code, detail) for code, detail in examples],
    )


# Every operation may answer these; an operation adds the domain codes it can meet.
COMMON_PROBLEMS: list[tuple[int, str, str]] = [
    (400, "invalid", "Some of the values sent are not valid; see errors."),
    (400, "malformed_request", "JSON parse error."),
    (401, "not_authenticated", "Authentication credentials were not provided."),
    (401, "authentication_failed", "This token is not valid or was revoked."),
    (403, "permission_denied", "You do not have permission to perform this action."),
    (404, "not_found", "Not found."),
    (405, "method_not_allowed", 'Method "PATCH" not allowed.'),
    (406, "not_acceptable", "Could not satisfy the request Accept header."),
    (415, "unsupported_media_type", 'Unsupported media type "text/plain" in request.'),
    (429, "throttled", "Request was throttled. Expected available in 12 seconds."),
]


def problems(*extra: tuple[int, str, str]) -> dict:
    """The responses of an operation: the common problems plus the domain refusals ``(status, code, detail)``."""
    by_status: dict[int, list[tuple[str, str]]] = {}
    for status, code, detail in [*COMMON_PROBLEMS, *extra]:
        by_status.setdefault(status, []).append((code, detail))
    return {(status, PROBLEM_CONTENT_TYPE): _problem(status, *found) for status, found in sorted(by_status.items())}


PROBLEM_RESPONSES = problems()


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Personal access tokens in the schema: ``Authorization: Bearer tt_…``."""

    target_class = "api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token from /accounts/api-tokens/ (scopes: read, book, expert).",
        }


class AppSessionTokenScheme(OpenApiAuthenticationExtension):
    """allauth's headless session token, for apps that signed in at /_allauth/app/v1/auth/login."""

    target_class = "api.authentication.AppSessionTokenAuthentication"
    name = "appSessionToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-Session-Token",
            "description": "From allauth's headless sign-in for apps (/_allauth/app/v1/auth/login).",
        }
