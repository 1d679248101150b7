"""Which video provider each expert uses, and what providers tell us about a session's meeting."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.models import ExpertProfile

from .booking import Booking


class VideoProviderName(models.TextChoices):
    JITSI = "jitsi", _("Jitsi (in the browser, nothing to install)")
    ZOOM = "zoom", _("Zoom")
    GOOGLE_MEET = "google_meet", _("Google Meet")


class ExpertVideoSetting(models.Model):
    """The provider an expert chose for new sessions. No row: the platform's default (``VIDEO_PROVIDER``).

    Kept in bookings, beside the rooms it decides, like the refund policy: the catalogue never reads it.
    The form offers only configured providers; a choice whose credentials were later removed falls back
    to Jitsi at confirmation.
    """

    profile = models.OneToOneField(ExpertProfile, primary_key=True, on_delete=models.CASCADE, related_name="video")
    provider = models.CharField(max_length=16, choices=VideoProviderName.choices, default=VideoProviderName.JITSI)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(provider__in=["jitsi", "zoom", "google_meet"]), name="video_setting_known_provider"
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile_id}: {self.provider}"


class ProviderEvent(models.Model):
    """One thing a video provider reported about a booking's meeting (Zoom's webhooks): someone joined or
    left, or a cloud recording is ready. ``external_id`` is unique, so a delivery Zoom repeats is stored once.

    ``data`` keeps what the event's consumers need and nothing secret: for ``recording.completed`` the
    recording files (``download_url``, ``file_type``, ``recording_type``…); the attendance log and the
    recordings copy read these rows (wired by their own services).
    """

    class Event(models.TextChoices):
        PARTICIPANT_JOINED = "meeting.participant_joined", _("Joined")
        PARTICIPANT_LEFT = "meeting.participant_left", _("Left")
        RECORDING_COMPLETED = "recording.completed", _("Recording ready")

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="provider_events")
    provider = models.CharField(max_length=16, choices=VideoProviderName.choices)
    event = models.CharField(max_length=40, choices=Event.choices)
    participant_email = models.CharField(max_length=254, blank=True)
    participant_name = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField()
    external_id = models.CharField(max_length=200, unique=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["booking", "at"], name="provider_event_booking_at")]

    def __str__(self) -> str:
        return f"{self.provider} {self.event} booking {self.booking_id} at {self.at:%Y-%m-%d %H:%M}Z"
