"""Reminders of a confirmed session, planned when it is confirmed or moved and sent once when due."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .booking import Booking


class Reminder(models.Model):
    """One reminder of one booking on one channel, to both participants (each in their own language and zone).

    Exactly once: (booking, kind, channel) is unique, so planning twice plans
    one; the job claims a due row under its lock (``SKIP LOCKED``) and marks it
    sent in the transaction that writes its emails to the outbox, so two jobs
    at once, or a worker killed mid-run, send it once. ``planned_start`` is the
    start it was planned for: a moved session's old reminders no longer match
    and are never sent (the move plans new ones).
    """

    class Kind(models.TextChoices):
        DAY_BEFORE = "24h", _("24 hours before")
        HOUR_BEFORE = "1h", _("1 hour before")

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("Text message")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Skipped")

    # How long before the start each kind is due.
    LEAD = {Kind.DAY_BEFORE: timedelta(hours=24), Kind.HOUR_BEFORE: timedelta(hours=1)}
    # The kinds each channel sends: a text goes only 1 hour before, and only when at least one
    # participant has a verified number and chose text reminders (see ``reminders_plan``).
    CHANNEL_KINDS = {Channel.EMAIL: (Kind.DAY_BEFORE, Kind.HOUR_BEFORE), Channel.SMS: (Kind.HOUR_BEFORE,)}

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    planned_start = models.DateTimeField()
    due_at = models.DateTimeField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PLANNED)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["booking", "kind", "channel"], name="reminder_once_per_kind_and_channel"),
            models.CheckConstraint(condition=Q(due_at__lt=models.F("planned_start")), name="reminder_due_before_start"),
        ]
        indexes = [
            # The job reads only planned rows in the due window: a partial index keeps that a
            # short range scan however many reminders were ever sent.
            models.Index(fields=["due_at"], condition=Q(status="planned"), name="reminder_planned_due"),
        ]

    def __str__(self) -> str:
        return f"Reminder {self.kind}/{self.channel} of booking {self.booking_id} ({self.status})"
