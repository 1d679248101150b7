"""The expert's earnings and withdrawals over the API: amounts in minor units with their currency."""

from __future__ import annotations

from rest_framework import serializers

from billing.models import Withdrawal
from billing.selectors import MOVEMENT_TYPE_OF_KIND


class BalanceSerializer(serializers.Serializer):
    currency = serializers.CharField()
    pending_minor = serializers.IntegerField(source="pending")
    available_minor = serializers.IntegerField(source="available")
    withdrawing_minor = serializers.IntegerField(source="withdrawing")
    paid_out_minor = serializers.IntegerField(source="paid_out")


class MovementSerializer(serializers.Serializer):
    """One ledger posting that touched your balances, with its effect on each (signed minor units)."""

    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    type = serializers.SerializerMethodField()
    reference = serializers.CharField()
    currency = serializers.CharField()
    gross_minor = serializers.SerializerMethodField(help_text="What the learner paid (or got back), unsigned.")
    fee_minor = serializers.IntegerField(source="fee", help_text="TapTime's fee in this posting (negative: returned).")
    pending_minor = serializers.IntegerField(source="pending")
    available_minor = serializers.IntegerField(source="available")
    withdrawing_minor = serializers.IntegerField(source="withdrawing")
    paid_out_minor = serializers.IntegerField(source="paid_out")

    def get_type(self, row) -> str:
        return MOVEMENT_TYPE_OF_KIND.get(row.kind, row.kind)

    def get_gross_minor(self, row) -> int:
        return abs(row.gross)


class WithdrawalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Withdrawal
        fields = ["id", "amount_minor", "currency", "status", "staff_note", "created_at", "decided_at"]
        read_only_fields = fields


class WithdrawalRequestSerializer(serializers.Serializer):
    amount_minor = serializers.IntegerField(min_value=1, max_value=10**12)
    currency = serializers.RegexField(r"^[A-Z]{3}$", max_length=3)
