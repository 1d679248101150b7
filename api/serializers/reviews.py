"""Public reviews as the API shows them: never the private note, the learner by first name only."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reviews.models import NOTE_MAX, TEXT_MAX, SessionReview


class ReviewReplySerializer(serializers.Serializer):
    text = serializers.CharField()
    by = serializers.ChoiceField(choices=["expert", "taptime"])
    replied_at = serializers.DateTimeField()


class PublicReviewSerializer(serializers.ModelSerializer):
    learner_first_name = serializers.SerializerMethodField()
    reply = serializers.SerializerMethodField()

    class Meta:
        model = SessionReview
        fields = [
            "id",
            "rating",
            "knowledge",
            "clarity",
            "preparation",
            "text",
            "session_minutes",
            "learner_first_name",
            "published_at",
            "reply",
        ]

    def get_learner_first_name(self, review: SessionReview) -> str:
        return review.learner.first_name

    @extend_schema_field(ReviewReplySerializer(allow_null=True))
    def get_reply(self, review: SessionReview) -> dict | None:
        if not review.reply:
            return None
        data = {"text": review.reply, "by": "taptime" if review.reply_by_staff else "expert"}
        return ReviewReplySerializer({**data, "replied_at": review.replied_at}).data


STARS = {"min_value": 1, "max_value": 5}


class RatingRequestSerializer(serializers.Serializer):
    rating = serializers.IntegerField(**STARS)
    knowledge = serializers.IntegerField(required=False, allow_null=True, **STARS)
    clarity = serializers.IntegerField(required=False, allow_null=True, **STARS)
    preparation = serializers.IntegerField(required=False, allow_null=True, **STARS)
    text = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX)
    private_note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX)


class OwnReviewSerializer(serializers.ModelSerializer):
    """The learner's own review, private note and state included."""

    class Meta:
        model = SessionReview
        fields = [
            "id",
            "rating",
            "knowledge",
            "clarity",
            "preparation",
            "text",
            "private_note",
            "created_at",
            "updated_at",
            "publish_after",
            "published_at",
        ]


class RatingStateSerializer(serializers.Serializer):
    review = OwnReviewSerializer(allow_null=True)
