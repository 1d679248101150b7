"""``goals/``: the learner's own goals and milestones, thin over ``learning.services``.

Another user's goal or milestone id answers the unknown id's 404 problem.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from learning.models import Goal, Milestone
from learning.services import (
    goal_create,
    goal_update,
    milestone_add,
    milestone_set_done,
    milestone_suggestion_answer,
)

from ..permissions import scoped
from ..schema import problems
from ..serializers.learning import (
    GoalCreateSerializer,
    GoalSerializer,
    GoalUpdateSerializer,
    MilestoneCreateSerializer,
    MilestoneSerializer,
    MilestoneUpdateSerializer,
)

_GOAL_REFUSALS = (
    (422, "too_many_goals", "You can have up to 3 active goals."),
    (422, "past_date", "The target date must be today or later."),
)


def _goals(user):
    visible = Milestone.objects.exclude(state=Milestone.State.DECLINED).order_by("pk")
    return Goal.objects.filter(learner=user).prefetch_related(Prefetch("milestones", queryset=visible)).order_by("pk")


def _own_goal(user, pk: int) -> Goal:
    goal = _goals(user).filter(pk=pk).first()
    if goal is None:
        raise Http404
    return goal


class GoalList(APIView):
    permission_classes = scoped("read", post="book")

    @extend_schema(responses={200: GoalSerializer(many=True), **problems()}, operation_id="goals_list")
    def get(self, request: Request) -> Response:
        """Your goals with their milestones (declined suggestions left out); two queries."""
        return Response(GoalSerializer(_goals(request.user), many=True).data)

    @extend_schema(
        request=GoalCreateSerializer,
        responses={201: GoalSerializer, **problems(*_GOAL_REFUSALS)},
        examples=[
            OpenApiExample("goal", {"title": "Pass the AWS exam", "target_date": "2027-03-01"}, request_only=True)
        ],
        operation_id="goals_create",
    )
    def post(self, request: Request) -> Response:
        """Add an active goal (at most three active at once)."""
        body = GoalCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        goal = goal_create(learner=request.user, **body.validated_data)
        return Response(GoalSerializer(_own_goal(request.user, goal.pk)).data, status=status.HTTP_201_CREATED)


class GoalDetail(APIView):
    permission_classes = scoped("read", post="book")

    @extend_schema(responses={200: GoalSerializer, **problems()}, operation_id="goals_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        return Response(GoalSerializer(_own_goal(request.user, pk)).data)

    @extend_schema(
        request=GoalUpdateSerializer,
        responses={200: GoalSerializer, **problems(*_GOAL_REFUSALS)},
        operation_id="goals_partial_update",
    )
    def patch(self, request: Request, pk: int) -> Response:
        """Change the title, target date or status (active, achieved, archived); fields left out stay."""
        goal = _own_goal(request.user, pk)
        body = GoalUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        goal_update(
            goal=goal,
            learner=request.user,
            title=data.get("title", goal.title),
            target_date=data.get("target_date", goal.target_date),
            status=data.get("status", goal.status),
            category=goal.category,
        )
        return Response(GoalSerializer(_own_goal(request.user, pk)).data)


class GoalMilestones(APIView):
    permission_classes = scoped("read", post="book")

    @extend_schema(
        request=MilestoneCreateSerializer,
        responses={201: MilestoneSerializer, **problems((422, "too_many", "A goal can have up to 20 milestones."))},
        operation_id="goals_milestones_create",
    )
    def post(self, request: Request, pk: int) -> Response:
        """Add a milestone of your own to one of your goals."""
        goal = _own_goal(request.user, pk)
        body = MilestoneCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        milestone = milestone_add(goal=goal, learner=request.user, title=body.validated_data["title"])
        return Response(MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)


class MilestoneDetail(APIView):
    permission_classes = scoped("read", post="book")

    @extend_schema(responses={200: MilestoneSerializer, **problems()}, operation_id="milestones_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        milestone = Milestone.objects.filter(pk=pk, goal__learner=request.user).first()
        if milestone is None:
            raise Http404
        return Response(MilestoneSerializer(milestone).data)

    @extend_schema(
        request=MilestoneUpdateSerializer,
        responses={
            200: MilestoneSerializer,
            **problems(
                (422, "not_accepted", "Accept this suggestion before ticking it."),
                (422, "answered", "This suggestion was already answered."),
            ),
        },
        operation_id="milestones_partial_update",
    )
    def patch(self, request: Request, pk: int) -> Response:
        """Tick or untick (`done`), or answer an expert's suggestion (`answer`: accept or decline)."""
        milestone = Milestone.objects.filter(pk=pk, goal__learner=request.user).first()
        if milestone is None:
            raise Http404
        body = MilestoneUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if "answer" in data:
            milestone = milestone_suggestion_answer(
                milestone=milestone, learner=request.user, accept=data["answer"] == "accept"
            )
        if "done" in data:
            milestone = milestone_set_done(milestone=milestone, learner=request.user, done=data["done"])
        return Response(MilestoneSerializer(milestone).data)
