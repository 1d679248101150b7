"""Notifications' part of a person's data: channel preferences, the mobile number, codes texted
to it and the record of every text sent.

notifications sits below accounts, so it cannot import the privacy registry; accounts registers
this part (``accounts.privacy_parts``) from the functions here.
"""

from __future__ import annotations

from typing import Any

from .models import (
    Announcement,
    AnnouncementDismissal,
    AnnouncementEmail,
    NotificationPreference,
    PhoneNumber,
    PhoneVerification,
    SmsDelivery,
)

MODELS = (
    NotificationPreference,
    PhoneNumber,
    PhoneVerification,
    SmsDelivery,
    Announcement,
    AnnouncementDismissal,
    AnnouncementEmail,
)


def export(*, user) -> dict[str, Any]:
    return {
        "notification_preferences": NotificationPreference.objects.filter(user=user)
        .values("reminder_email", "reminder_in_app", "reminder_sms", "marketing_email", "updated_at")
        .iterator(),
        "phone_number": PhoneNumber.objects.filter(user=user).values("number", "verified_at").iterator(),
        # Codes are stored only as hashes: the export says when codes were sent, never the hash.
        "phone_verifications": PhoneVerification.objects.filter(user=user)
        .values("number", "created_at", "used_at")
        .iterator(),
        "text_messages": SmsDelivery.objects.filter(user=user)
        .values("to", "purpose", "status", "created_at")
        .iterator(),
        "announcements_written": Announcement.objects.filter(created_by=user)
        .values("title", "body", "audience", "starts_at", "ends_at", "created_at")
        .iterator(),
        "announcements_dismissed": AnnouncementDismissal.objects.filter(user=user)
        .values("announcement__title", "dismissed_at")
        .iterator(),
        "announcements_emailed": AnnouncementEmail.objects.filter(user=user)
        .values("announcement__title", "sent_at")
        .iterator(),
    }


def erase(*, user, pseudonym: str) -> None:
    PhoneNumber.objects.filter(user=user).delete()
    # Announcements staff wrote stay (they were published to others), without their author.
    Announcement.objects.filter(created_by=user).update(created_by=None)
    AnnouncementDismissal.objects.filter(user=user).delete()
    AnnouncementEmail.objects.filter(user=user).delete()
    PhoneVerification.objects.filter(user=user).delete()
    SmsDelivery.objects.filter(user=user).update(to="", error_message="")
    NotificationPreference.objects.filter(user=user).update(
        reminder_email=False, reminder_sms=False, marketing_email=False
    )
