"""Email delivery and channel choices. Domain apps hand over a template name and context; this
module knows nothing of bookings or experts.

Each message is three templates under ``templates/email/``: ``<name>_subject.txt``,
``<name>.txt`` and ``<name>.html`` (the HTML one extends ``email/base.html``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from core.base_url import public_url

from .models import NotificationPreference, PhoneNumber
from .signals import sms_reminders_enabled


def email_render(*, template: str, context: dict[str, Any], language: str | None = None) -> tuple[str, str, str]:
    """Return (subject, text, html) for a message, in the recipient's language."""
    full_context = {"base_url": public_url(), "site_name": settings.WAGTAIL_SITE_NAME, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"email/{template}_subject.txt", full_context).split())
        text = render_to_string(f"email/{template}.txt", full_context)
        html = render_to_string(f"email/{template}.html", full_context)
    return subject, text, html


def email_send(
    *,
    to: str | Sequence[str],
    template: str,
    context: dict[str, Any],
    language: str | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> None:
    subject, text, html = email_render(template=template, context=context, language=language)
    recipients = [to] if isinstance(to, str) else list(to)
    message = EmailMultiAlternatives(subject=subject, body=text, to=recipients)
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()


def notification_preferences(*, user) -> NotificationPreference:
    """The user's channel choices (an unsaved row with the defaults when they never chose)."""
    chosen = NotificationPreference.objects.filter(user=user).first()
    return chosen or NotificationPreference(user=user)


def notification_preferences_set(
    *, user, reminder_email: bool, reminder_in_app: bool, reminder_sms: bool = False
) -> NotificationPreference:
    """Store the user's channel choices (one row per user, created on first use).

    Text reminders can only be on with a verified number: without one the
    choice is stored as off, whatever was sent. Turning them on tells the
    domain apps (``sms_reminders_enabled``), which plan texts for what is
    already booked.
    """
    wants_sms = bool(reminder_sms) and PhoneNumber.objects.filter(user=user, verified_at__isnull=False).exists()
    with transaction.atomic():
        before = NotificationPreference.objects.select_for_update().filter(user=user).first()
        chosen, _created = NotificationPreference.objects.update_or_create(
            user=user,
            defaults={
                "reminder_email": bool(reminder_email),
                "reminder_in_app": bool(reminder_in_app),
                "reminder_sms": wants_sms,
            },
        )
        if wants_sms and not (before and before.reminder_sms):
            transaction.on_commit(lambda: sms_reminders_enabled.send(sender=NotificationPreference, user_id=user.pk))
    return chosen


def users_opted_out_of_reminder_email(*, user_ids) -> set[int]:
    """Of these users, the ones who switched email reminders off (one query)."""
    return set(
        NotificationPreference.objects.filter(user_id__in=list(user_ids), reminder_email=False).values_list(
            "user_id", flat=True
        )
    )


def users_with_sms_reminders(*, user_ids) -> dict[int, str]:
    """Of these users, the ones who get text reminders (a verified number, the channel on): id → number.

    One query."""
    return dict(
        PhoneNumber.objects.filter(
            user_id__in=list(user_ids), verified_at__isnull=False, user__notification_preference__reminder_sms=True
        ).values_list("user_id", "number")
    )
