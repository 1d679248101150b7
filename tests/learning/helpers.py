"""Learning data as the product makes it: goals and milestones through the services."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from bookings.models import Booking
from learning.models import Goal, Milestone
from learning.services import goal_create, learning_link_set, milestone_add
from marketplace.models import Category
from tests.builders import booking_in_state


def a_goal(learner, title: str = "Pass the AWS exam", milestones=("Read the guide",)) -> Goal:
    goal = goal_create(learner=learner, title=title, target_date=timezone.localdate() + timedelta(days=60))
    for name in milestones:
        milestone_add(goal=goal, learner=learner, title=name)
    return goal


def a_milestone(goal: Goal) -> Milestone:
    return goal.milestones.order_by("pk").first()


def past_sessions(*, learner, expert, count: int, minutes: int = 60, goal: Goal | None = None) -> list[Booking]:
    """``count`` completed sessions, one a week going back from last week."""
    now = timezone.now()
    sessions = []
    for index in range(count):
        start = (now - timedelta(weeks=index + 1)).replace(microsecond=0)
        booking = booking_in_state(
            learner=learner, expert=expert, start=start, minutes=minutes, status=Booking.Status.COMPLETED
        )
        if goal is not None:
            learning_link_set(booking=booking, learner=learner, goal=goal)
        sessions.append(booking)
    return sessions


def a_category(name: str = "Cloud", slug: str = "cloud", parent=None) -> Category:
    return Category.objects.get_or_create(slug=slug, defaults={"name": name, "parent": parent})[0]
