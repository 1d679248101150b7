"""Every change to the learner's journey: onboarding answers, goals, milestones, levels, links.

Each function is keyword-only, checks ownership again (the interfaces look objects up by owner
too), and runs in one transaction. Titles are plain text: templates escape them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings.models import Booking

from .errors import LearningError
from .levels import GOAL_TITLE_MAX, MAX_ACTIVE_GOALS, MAX_MILESTONES_PER_GOAL, MILESTONE_TITLE_MAX, Level
from .models import ONBOARDING_STEPS, Goal, LearnerProfile, LearningLink, Milestone, SkillLevel


def _clean_title(title: str, *, limit: int) -> str:
    text = " ".join((title or "").split())
    if not text:
        raise LearningError(_("Please write a few words."), code="empty")
    if len(text) > limit:
        raise LearningError(_("Please keep it under %(limit)s characters.") % {"limit": limit}, code="too_long")
    return text


def _check_target(target_date: date | None, *, today: date) -> None:
    if target_date is not None and target_date < today:
        raise LearningError(_("The target date must be today or later."), code="past_date")


def learner_profile_get_or_create(*, user) -> LearnerProfile:
    profile, _created = LearnerProfile.objects.get_or_create(user=user)
    return profile


# --- Onboarding ---------------------------------------------------------------------------------


@transaction.atomic
def onboarding_step_mark(*, user, step: str, now: datetime | None = None) -> LearnerProfile:
    """Record a step as passed (saved or skipped); passing the last one finishes onboarding."""
    if step not in ONBOARDING_STEPS:
        raise LearningError(_("Unknown step."), code="unknown_step")
    profile = LearnerProfile.objects.select_for_update().get(pk=learner_profile_get_or_create(user=user).pk)
    if step not in profile.steps_done:
        profile.steps_done = [*profile.steps_done, step]
    if all(name in profile.steps_done for name in ONBOARDING_STEPS) and profile.onboarding_finished_at is None:
        profile.onboarding_finished_at = now or timezone.now()
    profile.save(update_fields=["steps_done", "onboarding_finished_at", "updated_at"])
    return profile


@transaction.atomic
def onboarding_skip_all(*, user, now: datetime | None = None) -> LearnerProfile:
    """The learner skips the rest: never asked again at sign-in; everything stays editable later."""
    profile = LearnerProfile.objects.select_for_update().get(pk=learner_profile_get_or_create(user=user).pk)
    if profile.onboarding_finished_at is None:
        profile.onboarding_finished_at = now or timezone.now()
        profile.onboarding_skipped = True
        profile.save(update_fields=["onboarding_finished_at", "onboarding_skipped", "updated_at"])
    return profile


@transaction.atomic
def learner_interests_set(*, user, categories: Iterable) -> LearnerProfile:
    profile = learner_profile_get_or_create(user=user)
    profile.interests.set(list(categories))
    return profile


@transaction.atomic
def learner_preferences_set(
    *,
    user,
    session_minutes: int | None,
    budget_min_minor: int | None,
    budget_max_minor: int | None,
    currency: str,
    languages: Iterable,
    times_of_day: list[str],
) -> LearnerProfile:
    if budget_min_minor is not None and budget_max_minor is not None and budget_min_minor > budget_max_minor:
        raise LearningError(_("The lowest budget must not be above the highest."), code="budget_order")
    profile = learner_profile_get_or_create(user=user)
    profile.session_minutes = session_minutes
    profile.budget_min_minor = budget_min_minor
    profile.budget_max_minor = budget_max_minor
    profile.currency = currency or ""
    profile.times_of_day = list(dict.fromkeys(times_of_day))
    profile.save()
    profile.languages.set(list(languages))
    return profile


# --- Goals and milestones -----------------------------------------------------------------------


@transaction.atomic
def goal_create(
    *, learner, title: str, target_date: date | None = None, category=None, today: date | None = None
) -> Goal:
    """A new active goal; refused past ``MAX_ACTIVE_GOALS`` (counted under a lock on the learner's profile)."""
    today = today or timezone.localdate()
    title = _clean_title(title, limit=GOAL_TITLE_MAX)
    _check_target(target_date, today=today)
    # Two tabs adding a fourth goal at once: the profile row serialises them.
    LearnerProfile.objects.select_for_update().get(pk=learner_profile_get_or_create(user=learner).pk)
    if Goal.objects.filter(learner=learner, status=Goal.Status.ACTIVE).count() >= MAX_ACTIVE_GOALS:
        raise LearningError(
            _("You can have up to %(count)s active goals. Mark one achieved or archive it first.")
            % {"count": MAX_ACTIVE_GOALS},
            code="too_many_goals",
        )
    return Goal.objects.create(learner=learner, title=title, target_date=target_date, category=category)


@transaction.atomic
def goal_update(
    *,
    goal: Goal,
    learner,
    title: str,
    target_date: date | None,
    status: str,
    category=None,
    today: date | None = None,
) -> Goal:
    if goal.learner_id != learner.pk:
        raise LearningError(_("This goal is not yours."), code="not_found")
    if status not in Goal.Status.values:
        raise LearningError(_("Unknown status."), code="bad_status")
    today = today or timezone.localdate()
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    if target_date != goal.target_date:
        _check_target(target_date, today=today)
    if status == Goal.Status.ACTIVE and goal.status != Goal.Status.ACTIVE:
        LearnerProfile.objects.select_for_update().get(pk=learner_profile_get_or_create(user=learner).pk)
        if Goal.objects.filter(learner=learner, status=Goal.Status.ACTIVE).count() >= MAX_ACTIVE_GOALS:
            raise LearningError(
                _("You can have up to %(count)s active goals.") % {"count": MAX_ACTIVE_GOALS}, code="too_many_goals"
            )
    goal.title = _clean_title(title, limit=GOAL_TITLE_MAX)
    goal.target_date = target_date
    goal.status = status
    goal.category = category
    goal.save()
    return goal


@transaction.atomic
def milestone_add(*, goal: Goal, learner, title: str) -> Milestone:
    if goal.learner_id != learner.pk:
        raise LearningError(_("This goal is not yours."), code="not_found")
    title = _clean_title(title, limit=MILESTONE_TITLE_MAX)
    Goal.objects.select_for_update().get(pk=goal.pk)
    if goal.milestones.exclude(state=Milestone.State.DECLINED).count() >= MAX_MILESTONES_PER_GOAL:
        raise LearningError(
            _("A goal can have up to %(count)s milestones.") % {"count": MAX_MILESTONES_PER_GOAL}, code="too_many"
        )
    return Milestone.objects.create(goal=goal, title=title)


@transaction.atomic
def milestone_set_done(*, milestone: Milestone, learner, done: bool, now: datetime | None = None) -> Milestone:
    milestone = Milestone.objects.select_for_update().select_related("goal").get(pk=milestone.pk)
    if milestone.goal.learner_id != learner.pk:
        raise LearningError(_("This milestone is not yours."), code="not_found")
    if milestone.state != Milestone.State.ACCEPTED:
        raise LearningError(_("Accept this suggestion before ticking it."), code="not_accepted")
    milestone.done_at = (now or timezone.now()) if done else None
    milestone.save(update_fields=["done_at"])
    return milestone


@transaction.atomic
def milestone_suggest(*, booking: Booking, expert, title: str, now: datetime | None = None) -> Milestone:
    """The session's expert suggests a milestone for the goal the session serves; the learner decides."""
    if booking.expert_id != expert.pk:
        raise LearningError(_("This session is not yours."), code="not_found")
    now = now or timezone.now()
    if booking.status not in (Booking.Status.COMPLETED, Booking.Status.CONFIRMED) or booking.start > now:
        raise LearningError(_("You can suggest milestones once the session has started."), code="too_early")
    link = LearningLink.objects.filter(booking=booking).select_related("goal").first()
    if link is None:
        raise LearningError(_("The learner did not link this session to a goal."), code="no_goal")
    title = _clean_title(title, limit=MILESTONE_TITLE_MAX)
    if link.goal.milestones.filter(suggested_by=expert, state=Milestone.State.SUGGESTED).count() >= 5:
        raise LearningError(_("Wait for the learner to answer your earlier suggestions."), code="too_many")
    return Milestone.objects.create(
        goal=link.goal, title=title, state=Milestone.State.SUGGESTED, suggested_by=expert, suggested_on=booking
    )


@transaction.atomic
def milestone_suggestion_answer(*, milestone: Milestone, learner, accept: bool) -> Milestone:
    milestone = Milestone.objects.select_for_update().select_related("goal").get(pk=milestone.pk)
    if milestone.goal.learner_id != learner.pk:
        raise LearningError(_("This milestone is not yours."), code="not_found")
    if milestone.state != Milestone.State.SUGGESTED:
        raise LearningError(_("This suggestion was already answered."), code="answered")
    milestone.state = Milestone.State.ACCEPTED if accept else Milestone.State.DECLINED
    milestone.save(update_fields=["state"])
    return milestone


# --- Levels and links ---------------------------------------------------------------------------


@transaction.atomic
def skill_levels_assess(
    *, learner, levels: dict, booking: Booking | None = None, now: datetime | None = None
) -> list[SkillLevel]:
    """Write one history row per category whose level changed (or was never assessed)."""
    now = now or timezone.now()
    if booking is not None and booking.learner_id != learner.pk:
        raise LearningError(_("This session is not yours."), code="not_found")
    latest: dict[int, int] = {}
    for category_id, level in (
        SkillLevel.objects.filter(learner=learner).order_by("assessed_at", "pk").values_list("category_id", "level")
    ):
        latest[category_id] = level
    rows = []
    for category, level in levels.items():
        level = int(level)
        if level not in Level.values:
            raise LearningError(_("Choose a level from the list."), code="bad_level")
        if latest.get(category.pk) != level:
            rows.append(SkillLevel(learner=learner, category=category, level=level, booking=booking, assessed_at=now))
    return SkillLevel.objects.bulk_create(rows)


@transaction.atomic
def learning_link_set(*, booking: Booking, learner, goal: Goal | None) -> LearningLink | None:
    """Tie the learner's booking to one of their goals (or untie it with ``goal=None``)."""
    if booking.learner_id != learner.pk:
        raise LearningError(_("This session is not yours."), code="not_found")
    if goal is not None and goal.learner_id != learner.pk:
        raise LearningError(_("Choose one of your goals."), code="not_your_goal")
    if goal is None:
        LearningLink.objects.filter(booking=booking).delete()
        return None
    link, _created = LearningLink.objects.update_or_create(booking=booking, defaults={"goal": goal})
    return link
