"""What each person wants to be told, and how. Knows no domain: a reminder is a reminder of anything."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationPreference(models.Model):
    """A person's channel choices. No row: the defaults (every channel on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="notification_preference"
    )
    reminder_email = models.BooleanField(
        _("Email reminders"), default=True, help_text=_("An email 24 hours and 1 hour before each session.")
    )
    reminder_in_app = models.BooleanField(
        _("Reminders on my dashboard"),
        default=True,
        help_text=_("A notice on your dashboard when a session starts within 24 hours."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Notification preferences of user {self.user_id}"
