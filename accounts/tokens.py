"""Signed, short-lived tokens for links we email about an account."""

from __future__ import annotations

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import User

_ENROLMENT_SALT = "accounts.staff-mfa-enrolment"


def _state_of(user: User, *, has_second_factor: bool) -> str:
    # The link dies when anything it vouches for changes: the password, a new
    # login elsewhere, or a second factor being set up (the link is then spent).
    last_login = "" if user.last_login is None else user.last_login.replace(microsecond=0, tzinfo=None).isoformat()
    value = f"{user.pk}|{user.password}|{last_login}|{int(has_second_factor)}"
    return salted_hmac(_ENROLMENT_SALT, value, algorithm="sha256").hexdigest()[:32]


def enrolment_token_make(user: User, *, has_second_factor: bool) -> str:
    return signing.dumps(
        {"u": user.pk, "s": _state_of(user, has_second_factor=has_second_factor)}, salt=_ENROLMENT_SALT
    )


def enrolment_token_valid(token: str, *, user: User, has_second_factor: bool, max_age_seconds: int) -> bool:
    try:
        data = signing.loads(token, salt=_ENROLMENT_SALT, max_age=max_age_seconds)
    except signing.BadSignature:  # also SignatureExpired
        return False
    if not isinstance(data, dict) or data.get("u") != user.pk:
        return False
    return constant_time_compare(str(data.get("s", "")), _state_of(user, has_second_factor=has_second_factor))
