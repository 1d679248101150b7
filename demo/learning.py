"""Learning: the demo learner's finished onboarding, two goals with milestones, levels and a history.

The learner is interested in the demo expert's topics, has two goals (one linked to the demo
sessions, with a milestone the expert suggested), a level history per skill, and six earlier
completed sessions spread over the last months so the progress charts have something to show.
Deterministic and idempotent: goals are keyed by title, sessions by their goals note. Every live
expert page is embedded for the recommendations (pages whose text is unchanged are skipped).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from bookings.models import Booking
from learning.embedding_services import expert_embeddings_backfill
from learning.models import Goal, LearnerProfile, LearningLink, Milestone, SkillLevel
from marketplace.models import ExpertPage, ExpertProfile, Language

from .base import Log, Tally
from .bookings import DEMO_LEARNER_EMAIL, demo_session_bookings
from .marketplace import DEMO_EXPERT_EMAIL

GOALS = [
    (
        "Become a software architect within a year",
        300,
        [("Write an architecture decision record for my team", True), ("Lead one design review", False)],
    ),
    ("Ship a well-tested Django side project", 120, [("Set up CI with tests on every push", True)]),
]
SUGGESTION = "Sketch the C4 context diagram of your current system"
# (months ago, goals note) for the earlier completed sessions.
HISTORY = [(months, f"Demo learning: earlier session {months} months ago") for months in (6, 5, 4, 3, 2, 1)]


def seed(*, log: Log) -> str:
    tally = Tally()
    learner = User.objects.filter(email=DEMO_LEARNER_EMAIL).first()
    expert_profile = ExpertProfile.objects.filter(user__email=DEMO_EXPERT_EMAIL).select_related("user").first()
    if learner is None or expert_profile is None:
        return "skipped: no demo learner or expert"
    now = timezone.now()
    page = ExpertPage.objects.filter(profile=expert_profile).order_by("pk").first()
    categories = list(page.categories.order_by("sort_order")[:2]) if page else []
    profile, created = LearnerProfile.objects.get_or_create(
        user=learner,
        defaults={
            "session_minutes": 60,
            "budget_min_minor": 4000,
            "budget_max_minor": 12000,
            "currency": "EUR",
            "times_of_day": ["evening", "weekend"],
            "steps_done": ["interests", "goals", "levels", "preferences"],
            "onboarding_finished_at": now,
        },
    )
    tally.add("learner profiles", created)
    if created:
        profile.interests.set(categories)
        profile.languages.set(Language.objects.filter(code__in=["en", "de"]))
    goals = []
    for title, days, milestones in GOALS:
        goal, created = Goal.objects.get_or_create(
            learner=learner,
            title=title,
            defaults={
                "target_date": (now + timedelta(days=days)).date(),
                "category": categories[0] if categories else None,
            },
        )
        tally.add("goals", created)
        goals.append(goal)
        if created:
            for name, done in milestones:
                Milestone.objects.create(goal=goal, title=name, done_at=now - timedelta(days=3) if done else None)
    sessions = list(demo_session_bookings())
    expert = expert_profile.user
    session_type = expert_profile.session_types.filter(is_active=True).order_by("duration_minutes").first()
    existing = set(
        Booking.objects.filter(learner=learner, goals_note__startswith="Demo learning:").values_list(
            "goals_note", flat=True
        )
    )
    for months, note in HISTORY:
        if note in existing or session_type is None:
            tally.add("history sessions", False)
            continue
        start = (now - timedelta(days=30 * months)).replace(hour=17, minute=0, second=0, microsecond=0)
        booking = Booking.objects.create(
            learner=learner,
            expert=expert,
            session_type=session_type,
            start=start,
            end=start + timedelta(minutes=session_type.duration_minutes),
            status=Booking.Status.COMPLETED,
            amount_minor=session_type.price_minor,
            currency=session_type.currency,
            goals_note=note,
            confirmed_at=start - timedelta(days=3),
        )
        tally.add("history sessions", True)
    history = Booking.objects.filter(learner=learner, expert=expert, goals_note__startswith="Demo learning:")
    for booking in [*sessions, *history]:
        _link, created = LearningLink.objects.get_or_create(booking=booking, defaults={"goal": goals[0]})
        tally.add("session links", created)
    completed = [booking for booking in demo_session_bookings() if booking.status == Booking.Status.COMPLETED]
    if completed:
        _suggestion, created = Milestone.objects.get_or_create(
            goal=goals[0],
            title=SUGGESTION,
            defaults={"state": Milestone.State.SUGGESTED, "suggested_by": expert, "suggested_on": completed[-1]},
        )
        tally.add("expert suggestions", created)
    if not SkillLevel.objects.filter(learner=learner).exists():
        for index, category in enumerate(categories):
            for months, level in ((6, 1 + index), (2, 2 + index), (0, min(4, 2 + index + 1))):
                SkillLevel.objects.create(
                    learner=learner, category=category, level=level, assessed_at=now - timedelta(days=30 * months + 1)
                )
                tally.add("skill levels", True)
    # "Experts for your goals": every live expert page gets its vector now (the worker does this on
    # publish; the demo's pages were created live, not published). Unchanged pages are skipped.
    for _index in range(expert_embeddings_backfill()):
        tally.add("expert embeddings", True)
    return tally.summary()
