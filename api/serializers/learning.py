"""The learner's goals and milestones over the API (learning's own services do the work)."""

from __future__ import annotations

from rest_framework import serializers

from learning.levels import GOAL_TITLE_MAX, MILESTONE_TITLE_MAX
from learning.models import Goal, Milestone

from .public import StrictSerializer


class MilestoneSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    state = serializers.ChoiceField(choices=Milestone.State.choices)
    done = serializers.SerializerMethodField()
    done_at = serializers.DateTimeField(allow_null=True)
    suggested_by_expert = serializers.SerializerMethodField()

    def get_done(self, milestone: Milestone) -> bool:
        return milestone.done_at is not None

    def get_suggested_by_expert(self, milestone: Milestone) -> bool:
        return milestone.suggested_by_id is not None


class GoalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    target_date = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=Goal.Status.choices)
    created_at = serializers.DateTimeField()
    milestones = MilestoneSerializer(many=True, source="milestones.all")


class GoalCreateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=GOAL_TITLE_MAX)
    target_date = serializers.DateField(required=False, allow_null=True)


class GoalUpdateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=GOAL_TITLE_MAX, required=False)
    target_date = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=Goal.Status.choices, required=False)


class MilestoneCreateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=MILESTONE_TITLE_MAX)


class MilestoneUpdateSerializer(StrictSerializer):
    done = serializers.BooleanField(required=False)
    answer = serializers.ChoiceField(
        choices=["accept", "decline"], required=False, help_text="For a milestone your expert suggested."
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if not attrs:
            raise serializers.ValidationError({"done": ["Send `done` or `answer`."]})
        return attrs
