"""The learner's packages and their credits over the API (read only)."""

from __future__ import annotations

from rest_framework import serializers

from billing.models import PackagePurchase, SessionCredit


class CreditSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    status = serializers.ChoiceField(choices=SessionCredit.Status.choices)
    booking_id = serializers.IntegerField(allow_null=True)


class PackagePurchaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    expert_name = serializers.CharField(source="expert.full_name")
    sessions = serializers.IntegerField(source="sessions_count")
    minutes = serializers.IntegerField(source="duration_minutes")
    price_minor = serializers.IntegerField()
    currency = serializers.CharField()
    status = serializers.ChoiceField(choices=PackagePurchase.Status.choices)
    paid_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)
    expiry_outcome = serializers.CharField()
    used = serializers.IntegerField(source="credits_used")
    left = serializers.IntegerField(source="credits_left")
    credits = CreditSerializer(many=True, source="credits.all")
