"""What anyone may read: categories, expert cards and pages, free times."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.money import Money


class MoneySerializer(serializers.Serializer):
    """An amount in minor units with its currency, and how the site writes it."""

    amount_minor = serializers.IntegerField()
    currency = serializers.CharField()
    display = serializers.CharField()


class StrictSerializer(serializers.Serializer):
    """A request body that refuses fields it does not know (a typo must not pass as "not sent")."""

    def validate(self, attrs):
        sent = getattr(self, "initial_data", None)
        unknown = sorted(set(sent) - set(self.fields)) if isinstance(sent, dict) else []
        if unknown:
            raise serializers.ValidationError({name: [_("This field is not known.")] for name in unknown})
        return super().validate(attrs)


def money(amount_minor: int | None, currency: str) -> dict[str, Any] | None:
    if amount_minor is None:
        return None
    return {"amount_minor": int(amount_minor), "currency": currency, "display": Money(amount_minor, currency).format()}


class CategorySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    parent = serializers.CharField(source="parent.slug", allow_null=True, default=None)
    description = serializers.CharField()


class RatingSerializer(serializers.Serializer):
    average = serializers.DecimalField(max_digits=3, decimal_places=2)
    count = serializers.IntegerField()


class ExpertCardSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField(source="title")
    headline = serializers.CharField()
    url = serializers.SerializerMethodField()
    photo = serializers.SerializerMethodField()
    languages = serializers.SerializerMethodField()
    price_from = serializers.SerializerMethodField()
    rating = serializers.SerializerMethodField()
    sessions_completed = serializers.IntegerField(source="profile.sessions_completed")
    next_available_at = serializers.DateTimeField(source="profile.next_available_at", allow_null=True)

    def get_url(self, page) -> str:
        return page.get_full_url(self.context.get("request"))

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_photo(self, page) -> str | None:
        """The card photo's URL when its rendition exists already (prefetched: no query)."""
        renditions = getattr(page.photo, "prefetched_renditions", None) if page.photo_id else None
        return self.context["request"].build_absolute_uri(renditions[0].url) if renditions else None

    def get_languages(self, page) -> list[str]:
        return [code for code in page.language_codes.split(",") if code]

    @extend_schema_field(MoneySerializer(allow_null=True))
    def get_price_from(self, page):
        return money(page.profile.price_from_minor, page.profile.currency)

    @extend_schema_field(RatingSerializer)
    def get_rating(self, page):
        # Written out rather than through RatingSerializer: no serializer built per card.
        return {"average": f"{page.profile.rating_avg:.2f}", "count": page.profile.rating_count}


class SessionTypeSerializer(serializers.Serializer):
    length = serializers.IntegerField(source="duration_minutes", help_text="Minutes.")
    price = serializers.SerializerMethodField()

    @extend_schema_field(MoneySerializer)
    def get_price(self, session_type):
        return money(session_type.price_minor, session_type.currency)


class ExpertDetailSerializer(ExpertCardSerializer):
    bio = serializers.CharField()
    time_zone = serializers.CharField(source="profile.time_zone")
    years_experience = serializers.IntegerField()
    credentials = serializers.SerializerMethodField()
    categories = serializers.SerializerMethodField()
    skills = serializers.SerializerMethodField()
    session_types = serializers.SerializerMethodField()

    def get_credentials(self, page) -> list[str]:
        return [line.strip() for line in page.credentials.splitlines() if line.strip()]

    def get_categories(self, page) -> list[str]:
        return [category.slug for category in self.context["detail"]["expert_categories"]]

    def get_skills(self, page) -> list[str]:
        return [tag.name for tag in self.context["detail"]["expert_skills"]]

    @extend_schema_field(SessionTypeSerializer(many=True))
    def get_session_types(self, page):
        return SessionTypeSerializer(self.context["detail"]["session_types"], many=True).data


class SlotsSerializer(serializers.Serializer):
    length = serializers.IntegerField()
    time_zone = serializers.CharField(help_text="The zone `from` and `to` were read in.")
    expert_time_zone = serializers.CharField()
    starts = serializers.ListField(child=serializers.DateTimeField(), help_text="Bookable starts, UTC.")


class ExpertPageOfCardsSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The next page, or null on the last.")
    previous = serializers.URLField(allow_null=True)
    results = ExpertCardSerializer(many=True)
