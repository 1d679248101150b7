"""A user's private calendar feed: one secret address that calendar apps subscribe to.

The token itself is never stored in clear. ``token_hash`` (SHA-256 of the
token) is what a request is looked up by: an index lookup on a hash, so the
time a lookup takes says nothing about how close a guess was, and a leaked
database dump gives no working address. ``token_encrypted`` (Fernet, the MFA
keys) lets the settings page show the address again whenever the user adds
another device, without regenerating it and breaking the devices already
subscribed (docs/decisions.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CalendarFeed(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    token_encrypted = models.TextField()
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Calendar feed of user {self.user_id}"
