"""The learner's journey: what they want to learn, their goals and milestones, and their levels.

Nothing here is a column on another app's table: a booking is tied to a goal by a
``LearningLink`` row, so bookings never know about learning.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.money import CURRENCY_CHOICES
from marketplace.models import Category, Language

from .levels import GOAL_TITLE_MAX, MILESTONE_TITLE_MAX, Level

ONBOARDING_STEPS = ("interests", "goals", "levels", "preferences")


class LearnerProfile(models.Model):
    """One per learner who opened onboarding: interests, preferences and where onboarding stands.

    ``steps_done`` lists the steps saved or skipped, in order, so ``/onboarding/`` resumes at the
    first one left. ``onboarding_finished_at`` is set when the last step is passed or the learner
    skips the rest; from then on sign-in lands on the dashboard again.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_profile")
    interests = models.ManyToManyField(Category, blank=True, related_name="+", verbose_name=_("interests"))
    languages = models.ManyToManyField(Language, blank=True, related_name="+", verbose_name=_("languages"))
    session_minutes = models.PositiveSmallIntegerField(_("session length"), null=True, blank=True)
    budget_min_minor = models.PositiveIntegerField(null=True, blank=True)
    budget_max_minor = models.PositiveIntegerField(null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES, blank=True, default="")
    times_of_day = models.JSONField(default=list, blank=True)
    steps_done = models.JSONField(default=list, blank=True)
    onboarding_finished_at = models.DateTimeField(null=True, blank=True)
    onboarding_skipped = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_min_minor__isnull=True)
                | Q(budget_max_minor__isnull=True)
                | Q(budget_min_minor__lte=models.F("budget_max_minor")),
                name="learning_budget_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"learner profile of {self.user_id}"


class Goal(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ACHIEVED = "achieved", _("Achieved")
        ARCHIVED = "archived", _("Archived")

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_goals")
    title = models.CharField(_("goal"), max_length=GOAL_TITLE_MAX)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("topic")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["status", "target_date", "pk"]
        indexes = [models.Index(fields=["learner", "status"], name="learning_goal_learner_status")]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    """A step towards a goal: the learner's own (accepted at once) or an expert's suggestion."""

    class State(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        SUGGESTED = "suggested", _("Suggested by your expert")
        DECLINED = "declined", _("Declined")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=MILESTONE_TITLE_MAX)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACCEPTED)
    done_at = models.DateTimeField(null=True, blank=True)
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    suggested_on = models.ForeignKey(
        "bookings.Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["goal", "pk"]
        constraints = [
            # Only an accepted milestone can be ticked.
            models.CheckConstraint(
                condition=Q(done_at__isnull=True) | Q(state="accepted"), name="learning_milestone_done_accepted"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SkillLevel(models.Model):
    """One self-assessment: a history row; the learner's current level in a skill is the newest row."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skill_levels")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    # The session after which it was re-assessed, when it was.
    booking = models.ForeignKey("bookings.Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    assessed_at = models.DateTimeField()

    class Meta:
        ordering = ["learner", "category", "assessed_at", "pk"]
        indexes = [models.Index(fields=["learner", "assessed_at"], name="learning_level_learner_time")]
        constraints = [models.CheckConstraint(condition=Q(level__gte=1, level__lte=4), name="learning_level_1_4")]

    def __str__(self) -> str:
        return f"{self.learner_id}: {self.category_id} at {self.level}"


class LearningLink(models.Model):
    """A booking serves a goal. A row here, not a column on ``Booking`` (bookings never imports learning)."""

    booking = models.OneToOneField("bookings.Booking", on_delete=models.CASCADE, related_name="learning_link")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="links")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"booking {self.booking_id} → goal {self.goal_id}"


class OnboardingEmail(models.Model):
    """One row per welcome-series step sent (or skipped) for a user: the worker sends each exactly once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    step = models.CharField(max_length=32)
    outcome = models.CharField(max_length=10)  # "sent" or "skipped"
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "step"], name="learning_onboarding_email_once")]

    def __str__(self) -> str:
        return f"{self.step} for {self.user_id}: {self.outcome}"


class ExpertEmbedding(models.Model):
    """An expert page's profile as a sentence vector (learning.embeddings), written by the worker.

    One row per live expert page; ``vector`` holds ``DIMENSIONS`` float32 values as bytes (the same
    column on PostgreSQL and SQLite). ``digest`` is a hash of the text embedded, so a re-publish that
    changes nothing the model reads costs nothing. An unpublished page's row is deleted.
    """

    page = models.OneToOneField("marketplace.ExpertPage", on_delete=models.CASCADE, related_name="+")
    profile = models.ForeignKey("marketplace.ExpertProfile", on_delete=models.CASCADE, related_name="+")
    model = models.CharField(max_length=40)
    digest = models.CharField(max_length=64)
    vector = models.BinaryField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"embedding of page {self.page_id}"


class ProfileViewDay(models.Model):
    """How many times an expert's page was viewed on one (UTC) day: a count, nothing about who viewed.

    Written by the page's first-party beacon (``learning.view_counter``), so page-cached views
    count and crawlers without JavaScript do not; read by the expert's insights.
    """

    profile = models.ForeignKey("marketplace.ExpertProfile", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "day"], name="learning_profile_views_per_day")]

    def __str__(self) -> str:
        return f"{self.views} views of {self.profile_id} on {self.day}"
