"""Recording a session: each participant's consent, and the recordings kept in private storage."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.storage import private_storage

from .booking import Booking


class RecordingConsent(models.Model):
    """One participant's consent to record one session, given and possibly withdrawn before its start.

    Recording is allowed when both participants have a row with no ``withdrawn_at``. Giving and
    withdrawing are refused from the start on (``bookings.services.recordings``), under the booking's
    row lock, so the rows are final once the session has begun.
    """

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="recording_consents")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    given_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["booking", "user"], name="one_recording_consent_per_person"),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=models.F("given_at")),
                name="recording_consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        state = "withdrawn" if self.withdrawn_at else "given"
        return f"Recording consent of user {self.user_id} for booking {self.booking_id} ({state})"


class Recording(models.Model):
    """A session's recording file in private storage, under a random name; only its participants play it."""

    class Source(models.TextChoices):
        UPLOAD = "upload", _("Uploaded by the expert")
        PROVIDER = "provider", _("From the video provider")

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="recordings")
    source = models.CharField(max_length=10, choices=Source.choices)
    # The provider's id of the file (Zoom's recording file id): a repeated delivery adds nothing.
    external_id = models.CharField(max_length=200, blank=True, default="")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(storage=private_storage, upload_to="recordings/", max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.BigIntegerField()
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        permissions = [("play_disputed_recording", "Can play the recording of a disputed session")]
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="one_recording_per_external_id"
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="recording_not_empty"),
        ]

    def __str__(self) -> str:
        return f"Recording {self.pk} of booking {self.booking_id}"

    @property
    def is_video(self) -> bool:
        return self.content_type.startswith("video/")
