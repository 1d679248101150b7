"""What happened at a session: who joined and left (the attendance log), what each side reported
afterwards, and the decision that settled the reports.

Attendance rows are evidence, never edited: a join through ``/bookings/<id>/join/`` writes one
(source ``link``), and a video provider's webhook may add join and leave times under its own
name (``source``), each event once (``external_id`` unique per source). A report is one per
booking per participant; the decision is one per booking (its ``OneToOne`` key is what makes a
second decision, or a race between two, impossible in the database).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .booking import Booking


class AttendanceEvent(models.Model):
    class Kind(models.TextChoices):
        JOINED = "joined", _("Joined")
        LEFT = "left", _("Left")

    # Joins through the app's own join link; a provider's events carry the provider's name.
    SOURCE_LINK = "link"

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="attendance_events")
    # Empty when a provider reported someone we could not match to either participant.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    source = models.CharField(max_length=32, default=SOURCE_LINK)
    at = models.DateTimeField()
    # The provider's id of the event; empty for our own joins (which may repeat: each pass is logged).
    external_id = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["booking", "at"], name="attendance_booking_at")]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], condition=~Q(external_id=""), name="attendance_external_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.user_id} at {self.at:%Y-%m-%d %H:%M}Z ({self.source})"


class SessionReport(models.Model):
    """A participant's report of a problem with a past session (within ``BOOKING_REPORT_WINDOW_HOURS``)."""

    class Kind(models.TextChoices):
        EXPERT_ABSENT = "expert_absent", _("The expert did not come")
        LEARNER_ABSENT = "learner_absent", _("The learner did not come")
        TECHNICAL = "technical", _("Technical problem")

    class Role(models.TextChoices):
        LEARNER = "learner", _("Learner")
        EXPERT = "expert", _("Expert")

    # Only the other side can claim someone's absence.
    KINDS_BY_ROLE = {
        Role.LEARNER: (Kind.EXPERT_ABSENT, Kind.TECHNICAL),
        Role.EXPERT: (Kind.LEARNER_ABSENT, Kind.TECHNICAL),
    }
    TEXT_MAX_LENGTH = 2000

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="session_reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=8, choices=Role.choices)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        permissions = [("decide_sessionreport", "Can decide session reports")]
        constraints = [
            models.UniqueConstraint(fields=["booking", "reporter"], name="session_report_once_per_reporter"),
            models.CheckConstraint(
                condition=Q(role="learner", kind__in=["expert_absent", "technical"])
                | Q(role="expert", kind__in=["learner_absent", "technical"]),
                name="session_report_kind_fits_role",
            ),
        ]

    def __str__(self) -> str:
        return f"Report on booking {self.booking_id} by {self.role}: {self.kind}"


class SessionDecision(models.Model):
    """How the reports on a session were settled: by the rules when the window closed, or by staff."""

    class Outcome(models.TextChoices):
        REFUND_LEARNER = "refund_learner", _("Refund the learner in full")
        PAY_EXPERT = "pay_expert", _("Pay the expert")
        SPLIT = "split", _("Split")

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="session_decision")
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    # What goes back to the learner, fixed with the decision (a retry refunds exactly this).
    refund_percent = models.PositiveSmallIntegerField()
    refund_minor = models.BigIntegerField()
    reason = models.TextField(max_length=2000)
    # Empty when the rules decided (the window closed on an uncontested report).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    # When the money and the booking's status followed the decision (empty while a refund is due).
    settled_at = models.DateTimeField(null=True, blank=True)
    # Who staff found absent when they marked a no-show from the sessions console without any report
    # ("learner" or "expert"); empty for decisions on reports, whose kinds say it.
    absent = models.CharField(max_length=8, blank=True, default="")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(refund_percent__lte=100), name="session_decision_percent_max"),
            models.CheckConstraint(condition=Q(refund_minor__gte=0), name="session_decision_refund_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Decision on booking {self.booking_id}: {self.outcome}"
