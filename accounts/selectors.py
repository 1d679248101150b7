"""Reads about a user's access: who can open an admin, and what this session proved."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.models import Session
from django.http import HttpRequest
from django.utils import timezone

from .devices import device_from_user_agent, place_from_ip
from .models import ApiToken, User

# Recovery codes are the spare key of a second factor, not one on their own.
SECOND_FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
# Where a verified enrolment link leaves its proof (see accounts.services).
ENROLMENT_SESSION_KEY = "accounts_staff_mfa_enrolment"
# When a session that can open an admin began (seconds since the epoch): it has a shorter life.
STAFF_SESSION_KEY = "accounts_staff_session_started"
# When this login session signed in and was last seen (seconds since the epoch; SessionTimeoutMiddleware).
SESSION_STARTED_KEY = "accounts_session_started"
SESSION_SEEN_KEY = "accounts_session_seen"
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


# Database-backed session engines: whether a session is alive is one query for all of them.
DATABASE_SESSION_ENGINES = ("django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db")


@dataclass(frozen=True)
class SessionRow:
    pk: int
    device: str
    kind: str
    place: str
    ip: str
    created_at: datetime
    last_seen_at: datetime
    is_current: bool


def user_sessions_live(*, user: User) -> list[UserSession]:
    """The user's recorded sessions that are still signed in, newest activity first.

    allauth keeps a row per session and checks each against the session store
    one by one; with database sessions this asks once for all of them (two
    queries however many there are). Rows whose session is gone are dropped.
    """
    rows = list(UserSession.objects.filter(user=user).order_by("-last_seen_at", "-pk"))
    if not rows:
        return rows
    if settings.SESSION_ENGINE in DATABASE_SESSION_ENGINES:
        live = set(
            Session.objects.filter(
                session_key__in=[row.session_key for row in rows], expire_date__gt=timezone.now()
            ).values_list("session_key", flat=True)
        )
        alive = [row for row in rows if row.session_key in live]
        dead = [row.pk for row in rows if row.session_key not in live]
        if dead:
            UserSession.objects.filter(pk__in=dead).delete()
        return alive
    return [row for row in rows if not row.purge()]


def user_sessions_listed(*, user: User, current_session_key: str | None) -> list[SessionRow]:
    """The sessions screen: device, browser, rough place, when it began and was last seen."""
    listed = []
    for row in user_sessions_live(user=user):
        device = device_from_user_agent(row.user_agent)
        listed.append(
            SessionRow(
                pk=row.pk,
                device=str(device.label),
                kind=device.kind,
                place=place_from_ip(row.ip),
                ip=row.ip,
                created_at=row.created_at,
                last_seen_at=row.last_seen_at,
                is_current=bool(current_session_key) and row.session_key == current_session_key,
            )
        )
    # The session in use first, then the others by last activity.
    return sorted(listed, key=lambda row: not row.is_current)
