"""The progress dashboard and the session history: figures, empty states, search, constant query counts."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking, SessionNote
from learning.selectors import _streaks, learner_progress, learner_session_history
from learning.services import learner_interests_set, milestone_set_done, skill_levels_assess
from tests.builders import bookable_expert, booking_in_state
from tests.factories import UserFactory
from tests.reviews.helpers import published_review

from .helpers import a_category, a_goal, a_milestone, past_sessions

pytestmark = pytest.mark.django_db


def test_a_new_learner_sees_an_empty_state_that_helps_them_start(client, learner):
    client.force_login(learner)
    page = client.get(reverse("learning_progress")).content.decode()
    assert "Start your learning journey" in page
    assert "/experts/" in page and "data:image/svg" not in page


def test_hours_goals_levels_ratings_and_streaks(client, learner, expert_index):
    from tests.marketplace.factories import make_ada

    ada = make_ada(expert_index)
    goal = a_goal(learner, milestones=("One", "Two"))
    milestone_set_done(milestone=a_milestone(goal), learner=learner, done=True)
    past_sessions(learner=learner, expert=ada.user, count=3, minutes=90, goal=goal)
    booking_in_state(learner=learner, expert=ada.user, start=timezone.now() + timedelta(days=2))
    published_review(learner=learner, expert_profile=ada, rating=4)
    cloud = a_category()
    learner_interests_set(user=learner, categories=[cloud])
    skill_levels_assess(learner=learner, levels={cloud: 1}, now=timezone.now() - timedelta(days=30))
    skill_levels_assess(learner=learner, levels={cloud: 3})
    progress = learner_progress(learner=learner, now=timezone.now())
    # Three 90-minute sessions and the completed one behind the review (60 minutes).
    assert progress.completed_count == 4 and progress.total_hours == 5.5
    assert progress.upcoming_count == 1
    assert sum(hours for _label, hours in progress.months) == 5.5
    assert progress.goals[0].milestones_done == 1 and progress.goals[0].milestones_total == 2
    assert progress.goals[0].session_count == 3
    assert [level for _day, level in progress.levels[0]["history"]] == [1, 3]
    assert [rating["rating"] for rating in progress.ratings] == [4]
    assert progress.longest_streak >= 3
    client.force_login(learner)
    page = client.get(reverse("learning_progress")).content.decode()
    assert "data:image/svg+xml;base64," in page and "<table" in page
    assert "Start your learning journey" not in page


def test_streaks_count_consecutive_weeks():
    monday = date(2026, 11, 30)
    weeks = {(monday - timedelta(weeks=n)).isocalendar()[:2] for n in (1, 2, 3, 6)}
    assert _streaks(set(weeks), monday) == (3, 3)
    assert _streaks(set(), monday) == (0, 0)
    assert _streaks({(monday - timedelta(weeks=4)).isocalendar()[:2]}, monday) == (0, 1)


def _queries(callable_):
    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured)


@pytest.mark.parametrize("view", ["learning_progress", "learning_history"])
def test_constant_queries_with_2_and_40_sessions(client, view):
    expert = bookable_expert().profile.user

    def measure(count):
        learner = UserFactory()
        goal = a_goal(learner)
        for booking in past_sessions(learner=learner, expert=expert, count=count, goal=goal):
            SessionNote.objects.create(booking=booking, author=expert, shared=True, body="Practise daily.")
        client.force_login(learner)
        assert client.get(reverse(view)).status_code == 200
        return _queries(lambda: client.get(reverse(view)))

    assert measure(2) == measure(40)


def test_history_lists_searches_and_pages(client, learner):
    expert = bookable_expert().profile.user
    other_expert = bookable_expert().profile.user
    goal = a_goal(learner, title="Kubernetes in production")
    past_sessions(learner=learner, expert=expert, count=22, goal=goal)
    booking_in_state(
        learner=learner, expert=other_expert, start=timezone.now() - timedelta(days=2), status=Booking.Status.COMPLETED
    )
    page = learner_session_history(learner=learner, now=timezone.now())
    assert page.paginator.count == 23 and len(page.object_list) == 20
    assert page.object_list[0].booking.expert == other_expert
    assert learner_session_history(learner=learner, now=timezone.now(), query="kubernetes").paginator.count == 22
    named = learner_session_history(learner=learner, now=timezone.now(), query=other_expert.full_name)
    assert named.paginator.count == 1
    client.force_login(learner)
    assert client.get(reverse("learning_history"), {"page": "999"}).status_code == 200
    assert client.get(reverse("learning_history"), {"page": "abc", "q": "x" * 500}).status_code == 200
    # A NUL byte (PostgreSQL refuses it) is dropped: "kube\x00rnetes" searches for "kubernetes".
    assert b"Kubernetes in production" in client.get(reverse("learning_history"), {"q": "kube\x00rnetes"}).content
    assert b"No past session matches" in client.get(reverse("learning_history"), {"q": "<nobody>"}).content
    # Another learner sees none of it.
    client.force_login(UserFactory())
    assert b"Kubernetes" not in client.get(reverse("learning_history")).content
    assert b"Kubernetes" not in client.get(reverse("learning_progress")).content


def test_the_expert_sees_their_students_with_linked_goals_only(client, learner):
    expert = bookable_expert().profile.user
    linked = a_goal(learner, title="Linked goal")
    a_goal(learner, title="Private goal")
    past_sessions(learner=learner, expert=expert, count=2, goal=linked)
    client.force_login(expert)
    page = client.get(reverse("expert_students")).content.decode()
    assert "Linked goal" in page and "Private goal" not in page
    client.force_login(learner)
    assert client.get(reverse("expert_students")).status_code == 403


def test_students_page_has_constant_queries(client):
    expert = bookable_expert().profile.user

    def measure(count):
        for _ in range(count):
            learner = UserFactory()
            past_sessions(learner=learner, expert=expert, count=1, goal=a_goal(learner))
        client.force_login(expert)
        client.get(reverse("expert_students"))
        return _queries(lambda: client.get(reverse("expert_students")))

    first = measure(2)
    assert measure(18) == first  # 20 students in all: still one page


def test_the_experts_insights_count_rates_and_keep_constant_queries(client):
    expert = bookable_expert().profile.user
    returning = UserFactory()
    past_sessions(learner=returning, expert=expert, count=2)
    booking_in_state(
        learner=UserFactory(),
        expert=expert,
        start=timezone.now() - timedelta(days=3),
        status=Booking.Status.CANCELLED_BY_LEARNER,
    )
    booking_in_state(
        learner=UserFactory(),
        expert=expert,
        start=timezone.now() - timedelta(days=4),
        status=Booking.Status.NO_SHOW_LEARNER,
    )
    from learning.expert_selectors import expert_insights

    insights = expert_insights(expert=expert, zone="Europe/Berlin", now=timezone.now())
    assert (insights.total, insights.completion_rate, insights.cancellation_rate, insights.no_show_rate) == (
        4,
        50.0,
        25.0,
        25.0,
    )
    assert insights.rebooking_rate == 100.0
    client.force_login(expert)
    client.get(reverse("expert_insights"))
    first = _queries(lambda: client.get(reverse("expert_insights")))
    past_sessions(learner=UserFactory(), expert=expert, count=38)
    assert _queries(lambda: client.get(reverse("expert_insights"))) == first
    client.force_login(returning)
    assert client.get(reverse("expert_insights")).status_code == 403
