"""The learner's journey in a data export and an erasure (wired into accounts' privacy by the lead).

``export_learning`` returns plain JSON-ready data; ``erase_learning`` deletes everything learning
holds about the user. Milestones an expert suggested stay the learner's data (they live on the
learner's goals) and go with them; suggestions *made by* the user as an expert lose their author.
"""

from __future__ import annotations

from django.db import transaction

from accounts import privacy

from .models import Goal, LearnerProfile, LearningLink, Milestone, OnboardingEmail, SkillLevel


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def export_learning(user) -> dict:
    profile = LearnerProfile.objects.filter(user=user).prefetch_related("interests", "languages").first()
    goals = Goal.objects.filter(learner=user).prefetch_related("milestones", "links").order_by("pk")
    return {
        "profile": None
        if profile is None
        else {
            "interests": [category.name for category in profile.interests.all()],
            "languages": [language.code for language in profile.languages.all()],
            "session_minutes": profile.session_minutes,
            "budget_min_minor": profile.budget_min_minor,
            "budget_max_minor": profile.budget_max_minor,
            "currency": profile.currency,
            "times_of_day": profile.times_of_day,
            "onboarding_finished_at": _iso(profile.onboarding_finished_at),
            "onboarding_skipped": profile.onboarding_skipped,
        },
        "goals": [
            {
                "title": goal.title,
                "target_date": _iso(goal.target_date),
                "status": goal.status,
                "created_at": _iso(goal.created_at),
                "booking_ids": [link.booking_id for link in goal.links.all()],
                "milestones": [
                    {"title": milestone.title, "state": milestone.state, "done_at": _iso(milestone.done_at)}
                    for milestone in goal.milestones.all()
                ],
            }
            for goal in goals
        ],
        "skill_levels": [
            {"skill": row.category.name, "level": row.level, "assessed_at": _iso(row.assessed_at)}
            for row in SkillLevel.objects.filter(learner=user).select_related("category").order_by("assessed_at", "pk")
        ],
    }


@transaction.atomic
def erase_learning(user) -> None:
    LearningLink.objects.filter(goal__learner=user).delete()
    Goal.objects.filter(learner=user).delete()  # milestones cascade
    SkillLevel.objects.filter(learner=user).delete()
    LearnerProfile.objects.filter(user=user).delete()
    OnboardingEmail.objects.filter(user=user).delete()
    Milestone.objects.filter(suggested_by=user).update(suggested_by=None)


def register() -> None:
    """Learning's part of a person's data in accounts' privacy registry (called from ``ready``)."""

    def export(*, user) -> dict:
        data = export_learning(user)
        return {
            "learning_profile": [data["profile"]] if data["profile"] else [],
            "learning_goals": data["goals"],
            "learning_skill_levels": data["skill_levels"],
        }

    def erase(*, user, pseudonym: str) -> None:
        erase_learning(user)

    privacy.register(
        "learning", export=export, erase=erase, models=[LearnerProfile, Goal, Milestone, SkillLevel, OnboardingEmail]
    )
