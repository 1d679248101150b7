"""The onboarding email series, sent by the worker, each step to each person exactly once (decision 282).

Learners (the welcome itself is accounts' sign-up email, sent at once):
  ``learner_find_expert``  two days after joining: how to find the right expert, with their
                           recommendations — skipped once they have booked;
  ``learner_first_booking`` seven days after joining with no booking: a nudge — skipped likewise.
Newly approved experts (counted from their page's first publication):
  ``expert_set_hours``     at once — skipped once they have weekly hours;
  ``expert_add_package``   after two days — skipped once they offer a package;
  ``expert_share_page``    after four days — skipped once anyone has booked them.

Exactly once: a step's ``OnboardingEmail`` row (unique per user and step) is inserted in the same
transaction that sends it; a second worker's insert waits on the unique index and then fails, so
it moves on. A send that raises rolls the row back and the next run tries again. Steps are
promotional, so they go through ``notifications.marketing.marketing_email_send``: only to people
who opted in to news and tips, in their language, with its one-click unsubscribe
(List-Unsubscribe). Someone who has not opted in gets a ``no_consent`` row and is not asked again
by this series. Only people who joined within ``WINDOW_DAYS`` are looked at.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from accounts.models import User
from bookings.models import Booking, WeeklyHours
from marketplace.models import ExpertPage, Package
from notifications.marketing import marketing_email_send

from .models import LearnerProfile, OnboardingEmail
from .recommendations import expert_recommendations

WINDOW_DAYS = 30
BATCH = 200


@dataclass(frozen=True)
class Step:
    name: str
    audience: str  # "learner" or "expert"
    after: timedelta


STEPS = (
    Step("learner_find_expert", "learner", timedelta(days=2)),
    Step("learner_first_booking", "learner", timedelta(days=7)),
    Step("expert_set_hours", "expert", timedelta(0)),
    Step("expert_add_package", "expert", timedelta(days=2)),
    Step("expert_share_page", "expert", timedelta(days=4)),
)


def _done(step: Step, user: User) -> bool:
    """Has the person already done what the step asks?"""
    if step.audience == "learner":
        return Booking.objects.filter(learner=user).exists()
    if step.name == "expert_set_hours":
        return WeeklyHours.objects.filter(profile__user=user).exists()
    if step.name == "expert_add_package":
        return Package.objects.filter(profile__user=user, is_active=True).exists()
    return Booking.objects.filter(expert=user).exists()


def _context(step: Step, user: User) -> dict:
    context: dict = {"user": user, "step": step.name}
    if step.name == "learner_find_expert":
        profile = LearnerProfile.objects.filter(user=user).first()
        with translation.override(user.preferred_language or None):
            context["recommendations"] = expert_recommendations(user=user, profile=profile)
    if step.audience == "expert":
        page = ExpertPage.objects.live().filter(profile__user=user).order_by("pk").first()
        context["page_url"] = page.get_full_url() if page else ""
    return context


def onboarding_email_step_run(*, step: Step, user: User) -> str:
    """Send (or skip) one step for one person; returns the outcome, or "" when already handled."""
    try:
        with transaction.atomic():
            record = OnboardingEmail.objects.create(user=user, step=step.name, outcome="pending")
            if _done(step, user):
                record.outcome = "skipped"
            elif marketing_email_send(user=user, template="onboarding_step", context=_context(step, user)):
                record.outcome = "sent"
            else:
                record.outcome = "no_consent"
            record.save(update_fields=["outcome"])
            return record.outcome
    except IntegrityError:
        return ""  # another run handled this step for this person


def _due_users(step: Step, now: datetime):
    handled = OnboardingEmail.objects.filter(step=step.name).values("user_id")
    if step.audience == "learner":
        return (
            User.objects.filter(
                is_active=True,
                is_expert=False,
                is_staff=False,
                date_joined__lte=now - step.after,
                date_joined__gte=now - timedelta(days=WINDOW_DAYS),
            )
            .exclude(pk__in=handled)
            .order_by("pk")[:BATCH]
        )
    first_pages = ExpertPage.objects.live().filter(
        first_published_at__lte=now - step.after, first_published_at__gte=now - timedelta(days=WINDOW_DAYS)
    )
    return (
        User.objects.filter(is_active=True, is_expert=True, expert_profile__pages__in=first_pages)
        .exclude(pk__in=handled)
        .distinct()
        .order_by("pk")[:BATCH]
    )


def onboarding_emails_send_due(*, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    outcomes: dict[str, int] = {}
    for step in STEPS:
        for user in list(_due_users(step, now)):
            outcome = onboarding_email_step_run(step=step, user=user)
            if outcome:
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes
