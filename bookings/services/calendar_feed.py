"""Writes for private calendar feeds: create or regenerate the secret address, and revoke it.

Regenerating replaces the token in place: the old address answers 404 at
once, and every calendar subscribed to it stops updating (the settings page
says so before the user confirms).
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import transaction

from accounts.secrets import secret_encrypt

from ..models import CalendarFeed
from ..selectors.calendar_feed import token_hash


def calendar_feed_regenerate(*, user, now: datetime) -> str:
    """Give ``user`` a new feed address (replacing any old one); returns the new token."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.update_or_create(
            user=user,
            defaults={"token_hash": token_hash(token), "token_encrypted": secret_encrypt(token), "created_at": now},
        )
    return token


def calendar_feed_revoke(*, user) -> bool:
    """Remove the user's feed address; True if there was one."""
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)
