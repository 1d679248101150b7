"""A learner's review of one completed session, and the reports raised against reviews.

A review is private to its learner until ``published_at`` is set (``reviews.services.publication``);
from then on it is public unless staff hid it (``hidden_at``). Only public reviews count in the
expert's rating aggregate (``ExpertProfile.rating_avg`` / ``rating_count``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bookings.models import Booking
from marketplace.models import ExpertProfile

TEXT_MAX = 2000
NOTE_MAX = 1000
REPLY_MAX = 1000
REASON_MAX = 500
SUB_RATINGS = ("knowledge", "clarity", "preparation")

_STARS = Q(rating__gte=1, rating__lte=5)


def _stars_or_empty(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 1, f"{field}__lte": 5})


class SessionReviewQuerySet(models.QuerySet):
    def public(self) -> SessionReviewQuerySet:
        """Published and not hidden: what the expert page, the API and the aggregate read."""
        return self.filter(published_at__isnull=False, hidden_at__isnull=True)


class SessionReview(models.Model):
    # One review per booking: the database refuses a second one, whatever the form did.
    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="review")
    # Copied from the booking so the expert page and the aggregate read one table.
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_reviews")
    profile = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="session_reviews")
    session_minutes = models.PositiveSmallIntegerField()
    rating = models.PositiveSmallIntegerField(_("overall"))
    knowledge = models.PositiveSmallIntegerField(_("knowledge"), null=True, blank=True)
    clarity = models.PositiveSmallIntegerField(_("clarity"), null=True, blank=True)
    preparation = models.PositiveSmallIntegerField(_("preparation"), null=True, blank=True)
    text = models.TextField(_("review"), blank=True, max_length=TEXT_MAX)
    # For the expert's eyes only, once published; never on the public page, the API or structured data.
    private_note = models.TextField(_("private note to the expert"), blank=True, max_length=NOTE_MAX)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Published by the job at this time at the latest (or earlier: the next session with the expert).
    publish_after = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=REASON_MAX, blank=True)
    # Why the automatic check flagged it for moderation (links, contact details, listed words); empty if not.
    flags = models.CharField(max_length=200, blank=True)
    # In the moderation queue: set by a flag or a report, cleared by a staff decision.
    needs_moderation = models.BooleanField(default=False)
    reply = models.TextField(blank=True, max_length=REPLY_MAX)
    replied_at = models.DateTimeField(null=True, blank=True)
    reply_by_staff = models.BooleanField(default=False)

    objects = SessionReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("session review")
        verbose_name_plural = _("session reviews")
        permissions = [("moderate_sessionreview", "Can moderate session reviews")]
        constraints = [
            models.CheckConstraint(condition=_STARS, name="review_rating_1_5"),
            *(models.CheckConstraint(condition=_stars_or_empty(f), name=f"review_{f}_1_5") for f in SUB_RATINGS),
            models.CheckConstraint(
                condition=Q(replied_at__isnull=True) | Q(replied_at__gte=F("published_at")),
                name="review_reply_after_publication",
            ),
        ]
        indexes = [
            # The publication job's scan: only unpublished rows are in this index.
            models.Index(fields=["publish_after"], condition=Q(published_at__isnull=True), name="review_publish_due"),
            # The expert page and the API: an expert's public reviews, newest first.
            models.Index(
                fields=["profile", "-published_at", "-id"],
                condition=Q(published_at__isnull=False, hidden_at__isnull=True),
                name="review_profile_public",
            ),
            # The moderation queue: flagged or reported reviews waiting for a decision.
            models.Index(fields=["created_at"], condition=Q(needs_moderation=True), name="review_moderation_queue"),
        ]

    def __str__(self) -> str:
        return f"Review of booking {self.booking_id} ({self.rating}/5)"

    @property
    def is_public(self) -> bool:
        return self.published_at is not None and self.hidden_at is None

    @property
    def sub_ratings(self) -> list[tuple[str, int]]:
        labels = {"knowledge": _("Knowledge"), "clarity": _("Clarity"), "preparation": _("Preparation")}
        return [(labels[f], getattr(self, f)) for f in SUB_RATINGS if getattr(self, f)]


class ReviewReport(models.Model):
    """An expert's (or staff's) report that a review breaks the rules: goes to moderation, hides nothing."""

    review = models.ForeignKey(SessionReview, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(max_length=REASON_MAX)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "reporter"], name="review_report_once"),
            models.CheckConstraint(condition=~Q(reason=""), name="review_report_has_reason"),
        ]
        indexes = [
            models.Index(fields=["created_at"], condition=Q(resolved_at__isnull=True), name="review_report_open"),
        ]

    def __str__(self) -> str:
        return f"Report on review {self.review_id}"


class ModerationDecision(models.Model):
    """Every staff decision on a review (hide, restore, reply, dismiss), kept for the record."""

    class Action(models.TextChoices):
        HIDE = "hide", _("Hidden")
        RESTORE = "restore", _("Restored")
        REPLY = "reply", _("Replied as staff")
        DISMISS = "dismiss", _("Reports dismissed")

    review = models.ForeignKey(SessionReview, on_delete=models.CASCADE, related_name="decisions")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    reason = models.TextField(blank=True, max_length=REASON_MAX)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.get_action_display()} review {self.review_id}"
