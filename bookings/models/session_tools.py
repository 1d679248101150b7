"""What the two participants keep around a session: questionnaire answers, notes and resources.

All three hang off the booking and are read and written only by its two
participants (``bookings.access.participant_booking`` and the services'
checks). Files live in the private storage (``STORAGES["private"]``), never
under a public URL; ``bookings.views.session_tools.session_resource_file``
checks the viewer on every download.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.models import MAX_QUESTIONS, QUESTION_MAX_LENGTH
from marketplace.storage import private_storage

from .booking import Booking

ANSWER_MAX_LENGTH = 1000
NOTE_MAX_LENGTH = 10_000
RESOURCE_TITLE_MAX_LENGTH = 120
RESOURCE_URL_MAX_LENGTH = 500


class QuestionnaireAnswer(models.Model):
    """The learner's answer to one of the expert's intake questions, with the question as it was asked.

    A snapshot: the question text and whether it was required are copied when the
    learner answers, so the expert editing or removing a question later changes nothing here.
    """

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="questionnaire_answers")
    position = models.PositiveSmallIntegerField()
    question = models.CharField(max_length=QUESTION_MAX_LENGTH)
    required = models.BooleanField(default=False)
    answer = models.TextField(blank=True, max_length=ANSWER_MAX_LENGTH)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["booking", "position"]
        constraints = [
            models.UniqueConstraint(fields=["booking", "position"], name="booking_answer_position_unique"),
            models.CheckConstraint(
                condition=Q(position__gte=1, position__lte=MAX_QUESTIONS), name="booking_answer_position_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booking_id} #{self.position}"


class SessionNote(models.Model):
    """A participant's note on a session: private (only its author reads it) or shared (the expert
    writes it, both read it). One of each kind per author and booking.

    ``version`` is the optimistic lock: a save names the version it was edited from
    and is refused when the row moved on meanwhile (another tab, the other device).
    """

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    shared = models.BooleanField(default=False)
    body = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["booking", "shared", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["booking", "author", "shared"], name="booking_note_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{'shared' if self.shared else 'private'} note on {self.booking_id}"


class SessionResource(models.Model):
    """A link or a file the expert attaches to a session for its learner."""

    class Kind(models.TextChoices):
        LINK = "link", _("Link")
        FILE = "file", _("File")

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    title = models.CharField(max_length=RESOURCE_TITLE_MAX_LENGTH)
    url = models.URLField(max_length=RESOURCE_URL_MAX_LENGTH, blank=True)
    # Only ever written by the upload service after the content checks passed; a random name.
    file = models.FileField(storage=private_storage, upload_to="sessions/resources/", max_length=200, blank=True)
    content_type = models.CharField(max_length=40, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["booking", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="link") & ~Q(url="") & Q(file=""))
                | (
                    Q(kind="file")
                    & Q(url="")
                    & ~Q(file="")
                    & Q(content_type__in=["application/pdf", "image/jpeg", "image/png", "text/plain"])
                ),
                name="booking_resource_link_or_file",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_inline(self) -> bool:
        """Images and PDFs open in the browser; anything else downloads as an attachment."""
        return self.content_type in ("application/pdf", "image/jpeg", "image/png")


# Sessions whose notes and resources can still change: paid and not cancelled. A cancelled
# session keeps what was written, read-only.
TOOLS_OPEN_STATES = (
    Booking.Status.CONFIRMED,
    Booking.Status.COMPLETED,
    Booking.Status.NO_SHOW_LEARNER,
    Booking.Status.NO_SHOW_EXPERT,
)


def tools_open(booking: Booking) -> bool:
    """Notes and resources may be written: from the payment on, during and after the session."""
    return booking.status in TOOLS_OPEN_STATES


def before_start(booking: Booking, now) -> bool:
    """The learner's goals note and questionnaire answers may change: a confirmed session that has not started."""
    return booking.status == Booking.Status.CONFIRMED and now < booking.start
