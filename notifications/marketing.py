"""Marketing email (news, offers): only to people who opted in, and every one with a one-click
unsubscribe (RFC 8058: ``List-Unsubscribe`` with an https URL and
``List-Unsubscribe-Post: List-Unsubscribe=One-Click``).

This is the only way to send one (``marketing_email_send``): booking emails, reminders and
security notices are not marketing and are not affected by the choice. The unsubscribe link
carries a signed token naming the person, valid without signing in and without expiry (mail
clients press it months later); the endpoint that reads it is ``accounts.privacy_views``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.base_url import public_url

from .models import NotificationPreference
from .services import email_render

_SALT = "notifications.marketing-unsubscribe"


def marketing_unsubscribe_token(*, user_id: int) -> str:
    return signing.dumps({"u": user_id}, salt=_SALT, compress=True)


def marketing_unsubscribe_user_id(*, token: str) -> int | None:
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    user_id = data.get("u") if isinstance(data, dict) else None
    return user_id if isinstance(user_id, int) else None


def marketing_unsubscribe_url(*, user_id: int) -> str:
    return public_url() + reverse(
        "marketing_unsubscribe", kwargs={"token": marketing_unsubscribe_token(user_id=user_id)}
    )


def marketing_opt_in_set(*, user, opted_in: bool, now: datetime | None = None) -> NotificationPreference:
    """Record the person's choice (and when), one row per person."""
    now = now or timezone.now()
    with transaction.atomic():
        chosen, _created = NotificationPreference.objects.get_or_create(user=user)
        if chosen.marketing_email != bool(opted_in):
            chosen.marketing_email = bool(opted_in)
            chosen.marketing_email_changed_at = now
            chosen.save(update_fields=["marketing_email", "marketing_email_changed_at", "updated_at"])
    return chosen


def marketing_unsubscribe(*, token: str, now: datetime | None = None) -> bool:
    """Switch marketing email off for the token's person; False for a token we did not sign."""
    user_id = marketing_unsubscribe_user_id(token=token)
    if user_id is None:
        return False
    NotificationPreference.objects.filter(user_id=user_id, marketing_email=True).update(
        marketing_email=False, marketing_email_changed_at=now or timezone.now()
    )
    return True


def marketing_email_send(*, user, template: str, context: dict[str, Any]) -> bool:
    """Send one marketing email if ``user`` opted in; True when sent."""
    if not NotificationPreference.objects.filter(user=user, marketing_email=True).exists():
        return False
    unsubscribe = marketing_unsubscribe_url(user_id=user.pk)
    subject, text, html = email_render(
        template=template, context={**context, "unsubscribe_url": unsubscribe}, language=user.preferred_language
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[user.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.attach_alternative(html, "text/html")
    message.send()
    return True
