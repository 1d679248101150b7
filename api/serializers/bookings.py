"""Bookings as the learner and the expert see them over the API, and what a learner sends to hold one."""

from __future__ import annotations

from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bookings.models import Booking, MoveProposal
from core.parsing import parse_instant

from .public import MoneySerializer, StrictSerializer, money


class _Slug(NamedTuple):
    slug: str


class PersonSerializer(serializers.Serializer):
    name = serializers.CharField()
    time_zone = serializers.CharField()


class BookingExpertSerializer(PersonSerializer):
    slug = serializers.CharField(allow_null=True, help_text="The expert's page, for `experts/<slug>/`.")


class BookingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Booking.Status.choices)
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    length = serializers.IntegerField(source="duration_minutes", help_text="Minutes.")
    price = serializers.SerializerMethodField()
    hold_expires_at = serializers.DateTimeField(allow_null=True, help_text="A hold must be paid before this.")
    goals_note = serializers.CharField()
    expert = serializers.SerializerMethodField()
    learner = serializers.SerializerMethodField()
    joinable = serializers.SerializerMethodField()

    @extend_schema_field(MoneySerializer)
    def get_price(self, booking):
        return money(booking.amount_minor, booking.currency)

    @extend_schema_field(BookingExpertSerializer)
    def get_expert(self, booking):
        profile = getattr(booking.expert, "expert_profile", None)
        pages = getattr(profile, "live_pages", None)
        if "expert_slug" in self.context:  # a new hold: the live page it was made on
            pages = [_Slug(self.context["expert_slug"])]
        elif pages is None:  # one booking, not prefetched: one query
            pages = list(profile.pages.live().order_by("pk")[:1]) if profile is not None else []
        return {
            "name": booking.expert.full_name,
            "time_zone": booking.expert_zone,
            "slug": pages[0].slug if pages else None,
        }

    @extend_schema_field(PersonSerializer)
    def get_learner(self, booking):
        return {"name": booking.learner.full_name, "time_zone": booking.learner_zone}

    def get_joinable(self, booking) -> bool:
        """A confirmed session whose video room is open now (join on the site: ``/bookings/<id>/join/``)."""
        return booking.is_joinable(timezone.now())


@extend_schema_field(OpenApiTypes.DATETIME)
class InstantField(serializers.Field):
    """An ISO 8601 instant with an offset, read as the site reads one (``core.parsing.parse_instant``)."""

    def to_internal_value(self, data):
        value = parse_instant(data)
        if value is None:
            raise serializers.ValidationError(
                _("Give a time with its offset, e.g. 2030-01-07T08:00:00Z."), code="invalid"
            )
        return value

    def to_representation(self, value):
        return value.isoformat()


class HoldRequestSerializer(StrictSerializer):
    expert = serializers.SlugField(max_length=255, help_text="The expert's slug.")
    length = serializers.IntegerField(min_value=1, max_value=24 * 60, help_text="Minutes; one of the expert's.")
    start = InstantField(help_text="A start from `experts/<slug>/slots/`, with an offset.")


class RescheduleRequestSerializer(StrictSerializer):
    start = InstantField(help_text="The new start, from `experts/<slug>/slots/`, with an offset; same length.")


class PayRequestSerializer(StrictSerializer):
    test_card = serializers.ChoiceField(
        choices=["success", "decline", "authenticate"],
        required=False,
        help_text="Test mode only: pay on the server with one of Stripe's test cards.",
    )
    goals_note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class PaymentSerializer(serializers.Serializer):
    booking = BookingSerializer()
    payment_status = serializers.CharField(allow_null=True)
    client_secret = serializers.CharField(
        allow_null=True, help_text="Live mode: confirm this PaymentIntent with Stripe's SDK, then GET this endpoint."
    )
    publishable_key = serializers.CharField(allow_null=True)


class CancellationSerializer(serializers.Serializer):
    booking = BookingSerializer()
    cancellable = serializers.BooleanField()
    refusal = serializers.CharField(allow_null=True, help_text="Why it cannot be cancelled, if it cannot.")
    refusal_code = serializers.CharField(allow_null=True)
    refund = MoneySerializer(
        help_text="What goes back to the card if the learner cancels now, under the booking's refund policy."
    )
    refund_percent = serializers.IntegerField(help_text="The refund as a share of the price, 0–100.")
    refund_changes_at = serializers.DateTimeField(
        allow_null=True, help_text="When the refund drops to the policy's next step; null if it will not change."
    )


class MoveProposalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=MoveProposal.Status.choices)
    start = serializers.DateTimeField(help_text="The proposed start (same length as the booking).")
    end = serializers.DateTimeField()
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)


class ProposalStateSerializer(serializers.Serializer):
    booking = BookingSerializer()
    proposal = MoveProposalSerializer(allow_null=True, help_text="The proposal awaiting the learner, if any.")


class ProposalAnswerSerializer(StrictSerializer):
    proposal = serializers.IntegerField(min_value=1, help_text="The `id` of the open proposal.")
    answer = serializers.ChoiceField(choices=["accept", "decline"])


class ExpertCancellationSerializer(serializers.Serializer):
    booking = BookingSerializer()
    cancellable = serializers.BooleanField()
    refusal = serializers.CharField(allow_null=True, help_text="Why it cannot be cancelled, if it cannot.")
    refusal_code = serializers.CharField(allow_null=True)
    refund = MoneySerializer(help_text="What goes back to the learner: always the whole payment.")
