"""Goals, milestones, expert suggestions, levels and booking links: right and wrong inputs, and ownership."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking
from learning.errors import LearningError
from learning.models import Goal, LearningLink, Milestone, SkillLevel
from learning.services import goal_create, learner_interests_set, milestone_suggest
from tests.builders import bookable_expert, booking_in_state
from tests.factories import UserFactory

from .helpers import a_category, a_goal, a_milestone, past_sessions

pytestmark = pytest.mark.django_db


def test_the_goals_page_lists_goals_with_milestones_and_escapes_titles(client, learner):
    a_goal(learner, title="<script>alert(1)</script>", milestones=["<img src=x>"])
    client.force_login(learner)
    page = client.get(reverse("learning_goals")).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert "&lt;img src=x&gt;" in page


def test_a_fourth_active_goal_is_refused_by_the_service_and_the_form(client, learner):
    for title in ("A", "B", "C"):
        a_goal(learner, title=title, milestones=())
    with pytest.raises(LearningError):
        goal_create(learner=learner, title="D")
    client.force_login(learner)
    response = client.post(reverse("learning_goal_add"), {"title": "D"})
    assert response.status_code == 400 and b"up to 3 active goals" in response.content
    assert Goal.objects.count() == 3


def test_goal_add_refuses_empty_long_and_past(client, learner):
    client.force_login(learner)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    for data in (
        {"title": ""},
        {"title": "x" * 161},
        {"title": "Go", "target_date": yesterday},
        {"title": "Go", "target_date": "soon"},
    ):
        assert client.post(reverse("learning_goal_add"), data).status_code == 400, data
    assert not Goal.objects.exists()
    assert client.post(reverse("learning_goal_add"), {"title": "  Learn   Go "}).status_code == 302
    assert Goal.objects.get().title == "Learn Go"


def test_edit_keeps_an_old_passed_date_but_refuses_a_new_past_one(client, learner):
    goal = a_goal(learner)
    Goal.objects.filter(pk=goal.pk).update(target_date=timezone.localdate() - timedelta(days=5))
    goal.refresh_from_db()
    client.force_login(learner)
    url = reverse("learning_goal_edit", kwargs={"pk": goal.pk})
    same = {"title": "Renamed", "target_date": goal.target_date.isoformat(), "status": "achieved"}
    assert client.post(url, same).status_code == 302
    goal.refresh_from_db()
    assert (goal.title, goal.status) == ("Renamed", "achieved")
    other_past = {
        "title": "x",
        "target_date": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "status": "active",
    }
    assert client.post(url, other_past).status_code == 400
    assert client.post(url, {"title": "x", "status": "bogus"}).status_code == 400


def test_milestones_are_added_ticked_and_unticked(client, learner):
    goal = a_goal(learner, milestones=())
    client.force_login(learner)
    client.post(reverse("learning_milestone_add", kwargs={"pk": goal.pk}), {"title": "Chapter 1"})
    milestone = Milestone.objects.get()
    client.post(reverse("learning_milestone_done", kwargs={"pk": milestone.pk}), {"done": "on"})
    milestone.refresh_from_db()
    assert milestone.done_at is not None
    client.post(reverse("learning_milestone_done", kwargs={"pk": milestone.pk}), {})
    milestone.refresh_from_db()
    assert milestone.done_at is None
    client.post(reverse("learning_milestone_add", kwargs={"pk": goal.pk}), {"title": ""})
    assert Milestone.objects.count() == 1


def test_other_users_goal_and_milestone_ids_are_404_and_change_nothing(client, learner):
    goal = a_goal(learner)
    milestone = a_milestone(goal)
    other = UserFactory()
    client.force_login(other)
    assert client.get(reverse("learning_goal_edit", kwargs={"pk": goal.pk})).status_code == 404
    assert (
        client.post(
            reverse("learning_goal_edit", kwargs={"pk": goal.pk}), {"title": "x", "status": "active"}
        ).status_code
        == 404
    )
    assert client.post(reverse("learning_milestone_add", kwargs={"pk": goal.pk}), {"title": "x"}).status_code == 404
    assert (
        client.post(reverse("learning_milestone_done", kwargs={"pk": milestone.pk}), {"done": "on"}).status_code == 404
    )
    assert (
        client.post(reverse("learning_milestone_answer", kwargs={"pk": milestone.pk}), {"answer": "accept"}).status_code
        == 404
    )
    goal.refresh_from_db()
    milestone.refresh_from_db()
    assert goal.title == "Pass the AWS exam" and milestone.done_at is None and goal.milestones.count() == 1
    assert other.pk not in set(Goal.objects.values_list("learner_id", flat=True))


def test_anonymous_is_sent_to_sign_in_on_every_page(client):
    for name in ("learning_goals", "learning_progress", "learning_history", "onboarding"):
        assert client.get(reverse(name))["Location"].startswith("/accounts/login/")
    assert client.get(reverse("expert_students"))["Location"].startswith("/accounts/login/")


def test_a_booking_is_linked_to_the_learners_own_goal_only(client, learner):
    session_type = bookable_expert()
    booking = booking_in_state(
        learner=learner, expert=session_type.profile.user, start=timezone.now() + timedelta(days=3)
    )
    goal = a_goal(learner)
    foreign = a_goal(UserFactory(), title="Not yours")
    client.force_login(learner)
    url = reverse("learning_booking_goal", kwargs={"pk": booking.pk})
    client.post(url, {"goal": foreign.pk})
    assert not LearningLink.objects.exists()
    client.post(url, {"goal": goal.pk})
    assert LearningLink.objects.get().goal == goal
    client.post(url, {"goal": ""})
    assert not LearningLink.objects.exists()
    client.force_login(UserFactory())
    assert client.post(url, {"goal": goal.pk}).status_code == 404


def test_the_expert_suggests_a_milestone_and_the_learner_accepts_or_declines(client, learner):
    session_type = bookable_expert()
    expert = session_type.profile.user
    goal = a_goal(learner, milestones=())
    [booking] = past_sessions(learner=learner, expert=expert, count=1, goal=goal)
    client.force_login(expert)
    url = reverse("booking_milestone_suggest", kwargs={"pk": booking.pk})
    page = client.get(url)
    assert page.status_code == 200 and goal.title.encode() in page.content
    client.post(url, {"title": "Practise two mock exams"})
    client.post(url, {"title": "Read the whitepaper"})
    accept, decline = Milestone.objects.order_by("pk")
    assert accept.state == Milestone.State.SUGGESTED and accept.suggested_by == expert
    # A suggestion cannot be ticked before it is accepted.
    client.force_login(learner)
    client.post(reverse("learning_milestone_done", kwargs={"pk": accept.pk}), {"done": "on"})
    accept.refresh_from_db()
    assert accept.done_at is None
    client.post(reverse("learning_milestone_answer", kwargs={"pk": accept.pk}), {"answer": "accept"})
    client.post(reverse("learning_milestone_answer", kwargs={"pk": decline.pk}), {"answer": "decline"})
    client.post(reverse("learning_milestone_answer", kwargs={"pk": decline.pk}), {"answer": "bogus"})
    accept.refresh_from_db()
    decline.refresh_from_db()
    assert (accept.state, decline.state) == ("accepted", "declined")
    assert b"Read the whitepaper" not in client.get(reverse("learning_goals")).content


def test_an_expert_who_never_taught_the_learner_sees_no_goal(client, learner):
    expert = bookable_expert().profile.user
    outsider = bookable_expert().profile.user
    goal = a_goal(learner)
    [booking] = past_sessions(learner=learner, expert=expert, count=1, goal=goal)
    client.force_login(outsider)
    url = reverse("booking_milestone_suggest", kwargs={"pk": booking.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "x"}).status_code == 404
    with pytest.raises(LearningError):
        milestone_suggest(booking=booking, expert=outsider, title="x")
    client.force_login(learner)  # the learner is not the expert of the session
    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert goal.title.encode() not in client.get(reverse("expert_students")).content


def test_a_suggestion_needs_a_linked_goal_and_a_started_session(learner):
    expert = bookable_expert().profile.user
    unlinked = booking_in_state(
        learner=learner, expert=expert, start=timezone.now() - timedelta(days=1), status=Booking.Status.COMPLETED
    )
    with pytest.raises(LearningError):
        milestone_suggest(booking=unlinked, expert=expert, title="x")
    future = booking_in_state(learner=learner, expert=expert, start=timezone.now() + timedelta(days=2))
    LearningLink.objects.create(booking=future, goal=a_goal(learner))
    with pytest.raises(LearningError):
        milestone_suggest(booking=future, expert=expert, title="x")


def test_levels_are_reassessed_as_history_rows_after_a_session(client, learner):
    cloud = a_category()
    learner_interests_set(user=learner, categories=[cloud])
    expert = bookable_expert().profile.user
    [booking] = past_sessions(learner=learner, expert=expert, count=1)
    client.force_login(learner)
    url = reverse("learning_levels_update")
    client.post(url, {f"level_{cloud.pk}": "1"})
    client.post(url, {f"level_{cloud.pk}": "1"})  # unchanged: no new row
    client.post(url, {f"level_{cloud.pk}": "2", "booking": booking.pk})
    assert list(SkillLevel.objects.order_by("pk").values_list("level", "booking_id")) == [(1, None), (2, booking.pk)]
    foreign = booking_in_state(learner=UserFactory(), expert=expert, start=timezone.now() - timedelta(days=9))
    client.post(url, {f"level_{cloud.pk}": "3", "booking": foreign.pk})
    client.post(url, {f"level_{cloud.pk}": "7"})
    assert SkillLevel.objects.count() == 2


def test_the_review_page_shows_the_goal_picker_to_the_learner(client, learner, stripe_server):
    from tests.builders import held_booking
    from tests.marketplace.factories import next_monday_nine_berlin

    session_type = bookable_expert()
    a_goal(learner, title="Become a cloud architect")
    booking = held_booking(learner=learner, session_type=session_type, start=next_monday_nine_berlin())
    client.force_login(learner)
    page = client.get(reverse("booking_review", kwargs={"pk": booking.pk}))
    assert b"Become a cloud architect" in page.content
    assert reverse("learning_booking_goal", kwargs={"pk": booking.pk}).encode() in page.content
