"""An expert's Google or Outlook account connected for two-way calendar sync, and the events we wrote there.

The OAuth tokens are encrypted at rest (``accounts.secrets``, Fernet under
``MFA_ENCRYPTION_KEYS``): a database dump opens no one's calendar. A
connection whose grant was revoked is ``broken`` with ``last_error`` in plain
words until the expert connects again; it never stops a booking.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ConnectedCalendar(models.Model):
    class Provider(models.TextChoices):
        GOOGLE = "google", _("Google Calendar")
        MICROSOFT = "microsoft", _("Microsoft Outlook")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Connected")
        BROKEN = "broken", _("Reconnect needed")

    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="connected_calendars")
    provider = models.CharField(max_length=16, choices=Provider.choices)
    # The account's own address (Graph's getSchedule asks for it); shown to the expert only.
    account_email = models.EmailField()
    # The calendar sessions are written to and busy times read from ("primary" / "" = the default one).
    calendar_id = models.CharField(max_length=255, blank=True, default="")
    # The chosen calendar's name as the provider showed it when chosen ("" = the default calendar).
    calendar_name = models.CharField(max_length=255, blank=True, default="")
    access_token = models.TextField()  # encrypted
    refresh_token = models.TextField()  # encrypted
    token_expires_at = models.DateTimeField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True, default="")
    failures_in_a_row = models.PositiveSmallIntegerField(default=0)
    # Busy-time reads (the 15-minute job): when last tried, how many blocks the last good read stored,
    # and the provider's Retry-After (the job leaves the connection alone until then).
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    busy_count = models.PositiveIntegerField(default=0)
    next_attempt_after = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["expert", "provider", "account_email"], name="connected_calendar_once"),
        ]
        indexes = [models.Index(fields=["failures_in_a_row"], name="connected_cal_failures_idx")]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} of user {self.expert_id} ({self.status})"

    @property
    def in_error(self) -> bool:
        return self.failures_in_a_row > 0 or self.status == self.Status.BROKEN

    @property
    def label(self) -> str:
        """How the expert and staff recognise it: "Google Calendar (ada@gmail.com)"."""
        return f"{self.get_provider_display()} ({self.account_email})"


class ConnectedCalendarEvent(models.Model):
    """The event a session became in a connected calendar, so a move patches it and a cancellation deletes it."""

    connection = models.ForeignKey(ConnectedCalendar, on_delete=models.CASCADE, related_name="events")
    booking = models.ForeignKey("bookings.Booking", on_delete=models.CASCADE, related_name="calendar_events")
    event_id = models.CharField(max_length=1024)
    # The calendar the event was written to ("" = the default): a later choice of another calendar
    # moves and deletes this event where it is (the choice affects future sessions only).
    calendar_id = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["connection", "booking"], name="connected_calendar_event_once"),
        ]

    def __str__(self) -> str:
        return f"Event of booking {self.booking_id} in connection {self.connection_id}"
