"""Reads about a user's access: who can open an admin, and what this session proved."""

from __future__ import annotations

import hashlib
import time

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.http import HttpRequest

from .models import ApiToken, User

# Recovery codes are the spare key of a second factor, not one on their own.
SECOND_FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
# Where a verified enrolment link leaves its proof (see accounts.services).
ENROLMENT_SESSION_KEY = "accounts_staff_mfa_enrolment"
# When a session that can open an admin began (seconds since the epoch): it has a shorter life.
STAFF_SESSION_KEY = "accounts_staff_session_started"
# Every personal access token starts with this, so leaked ones are easy to find (secret scanners).
API_TOKEN_PREFIX = "tt_"  # noqa: S105 (a public marker, not a secret)


def user_can_open_admin(user: User) -> bool:
    """Whether either admin opens for this account.

    Wagtail's admin opens for anyone holding ``wagtailadmin.access_admin``,
    directly or through a group (Editors, Moderators), whatever ``is_staff``
    says; Django's admin for superusers. ``has_perm`` is cached on the user
    object, so asking twice in one request costs no second query.
    """
    if not user.is_active:
        return False
    return user.is_superuser or user.is_staff or user.has_perm("wagtailadmin.access_admin")


def user_has_second_factor(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTOR_TYPES).exists()


def session_used_second_factor(request: HttpRequest, user: User) -> bool:
    """Whether this login session passed a second factor (allauth's record of how it authenticated).

    Owning an authenticator is not enough: a session signed in some other way
    (before the authenticator existed, or by a path that skipped the step) has
    no ``mfa`` record until the user confirms a code.
    """
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, user))


def session_enrolment_proven(request: HttpRequest, user: User, *, max_age_seconds: int) -> bool:
    """Whether this session opened an emailed set-up link for ``user`` within ``max_age_seconds``."""
    proof = request.session.get(ENROLMENT_SESSION_KEY)
    if not isinstance(proof, dict) or proof.get("user") != user.pk:
        return False
    opened_at = proof.get("at")
    return isinstance(opened_at, int | float) and time.time() - opened_at <= max_age_seconds


def api_token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_find(*, secret: str) -> ApiToken | None:
    """The live token with this secret, with its user (one query); None for unknown or revoked ones."""
    if not secret.startswith(API_TOKEN_PREFIX) or len(secret) > 100:
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(secret_hash=api_token_hash(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def api_tokens_of(*, user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at"))
