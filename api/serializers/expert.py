"""What an expert reads and sends about their own profile, offerings and hours."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bookings.models import Weekday
from bookings.services.availability import SLOT_STEP_CHOICES
from marketplace.models.offerings import DURATION_CHOICES

from .public import MoneySerializer, StrictSerializer, money

LENGTHS = [minutes for minutes, _label in DURATION_CHOICES]


class ExpertPageFieldsSerializer(StrictSerializer):
    """The page's editable fields. Changes go to moderation; the live page keeps the old ones until approved."""

    title = serializers.CharField(max_length=100, help_text="Display name.")
    headline = serializers.CharField(max_length=140)
    bio = serializers.CharField(max_length=5000, allow_blank=True)
    categories = serializers.ListField(child=serializers.SlugField(), max_length=50, help_text="Category slugs.")
    skills = serializers.ListField(child=serializers.CharField(max_length=100), max_length=20)
    languages = serializers.ListField(child=serializers.CharField(max_length=8), max_length=50, help_text="Codes.")
    years_experience = serializers.IntegerField(min_value=0, max_value=70)
    credentials = serializers.CharField(max_length=2000, allow_blank=True, help_text="One per line.")
    website_url = serializers.CharField(max_length=200, allow_blank=True)
    linkedin_url = serializers.CharField(max_length=200, allow_blank=True)
    github_url = serializers.CharField(max_length=200, allow_blank=True)
    intro_video_url = serializers.CharField(max_length=200, allow_blank=True)


class PolicySerializer(serializers.Serializer):
    min_notice_hours = serializers.IntegerField(min_value=0, max_value=24 * 14)
    horizon_days = serializers.IntegerField(min_value=1, max_value=365)
    buffer_minutes = serializers.IntegerField(min_value=0, max_value=240)
    slot_step_minutes = serializers.ChoiceField(choices=list(SLOT_STEP_CHOICES))


class ExpertProfileSerializer(serializers.Serializer):
    status = serializers.CharField()
    time_zone = serializers.CharField()
    currency = serializers.CharField()
    page = ExpertPageFieldsSerializer(help_text="The latest version, waiting for review or live.")
    pending_review = serializers.BooleanField()
    live_url = serializers.CharField(allow_null=True)


class SessionTypeOutSerializer(serializers.Serializer):
    length = serializers.IntegerField(source="duration_minutes")
    price = serializers.SerializerMethodField()
    is_active = serializers.BooleanField()

    @extend_schema_field(MoneySerializer)
    def get_price(self, offering):
        return money(offering.price_minor, offering.currency)


class PackageOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    length = serializers.IntegerField(source="session_type.duration_minutes")
    sessions_count = serializers.IntegerField()
    price = serializers.SerializerMethodField()
    validity_days = serializers.IntegerField()
    is_active = serializers.BooleanField()

    @extend_schema_field(MoneySerializer)
    def get_price(self, offering):
        return money(offering.price_minor, offering.currency)


class OfferingsSerializer(serializers.Serializer):
    session_types = SessionTypeOutSerializer(many=True)
    packages = PackageOutSerializer(many=True, help_text="Read-only here; learners cannot buy packages yet.")


class SessionTypeCreateSerializer(StrictSerializer):
    length = serializers.ChoiceField(choices=LENGTHS)
    price = serializers.DecimalField(
        max_digits=9, decimal_places=2, min_value=1, max_value=100_000, help_text="In your currency, e.g. 80.00."
    )
    is_active = serializers.BooleanField(default=True)


class SessionTypeUpdateSerializer(StrictSerializer):
    price = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=1, max_value=100_000, required=False)
    is_active = serializers.BooleanField(required=False)


@extend_schema_field({"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$", "example": "09:00"})
class WallTimeField(serializers.TimeField):
    """A wall-clock time in the expert's zone (``09:00``): not an RFC 3339 time, which needs an offset."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"], **kwargs)


class WindowSerializer(serializers.Serializer):
    weekday = serializers.ChoiceField(choices=Weekday.values, help_text="0 is Monday.")
    start = WallTimeField()
    end = WallTimeField()


class AvailabilitySerializer(StrictSerializer):
    time_zone = serializers.CharField(read_only=True, help_text="Weekly hours are in this zone.")
    weekly_hours = WindowSerializer(many=True, max_length=42, required=False)
    policy = PolicySerializer(required=False)
    days_off = serializers.ListField(child=serializers.DateField(), read_only=True)


class DayOffSerializer(StrictSerializer):
    day = serializers.DateField()
