"""The browse page's query-string filters.

Each filter owns its form fields and how it narrows the queryset, so a new one
is one more class in ``BROWSE_FILTERS``: the form, the query string and the
selector pick it up without other changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.validators import available_time_zones
from core.money import REFERENCE_CURRENCY, Money

from ..selectors.catalogue import browse_choices
from .widgets import use_quick_selects


class BrowseFilter:
    """One filter: form fields plus how a valid value narrows ExpertPage rows."""

    def fields(self, *, choices: Mapping[str, Any]) -> dict[str, forms.Field]:
        raise NotImplementedError

    def apply(self, queryset: QuerySet, data: Mapping[str, Any]) -> QuerySet:
        raise NotImplementedError


class CategoryFilter(BrowseFilter):
    """A category slug; a top-level category includes its subcategories."""

    def fields(self, *, choices):
        return {
            "category": forms.ChoiceField(
                label=_("Category"), required=False, choices=[("", _("All categories")), *choices["categories"]]
            )
        }

    def apply(self, queryset, data):
        slug = data.get("category")
        if not slug:
            return queryset
        # Resolved from the cached category list: an indexed id filter, no joins to categories.
        by_slug = browse_choices()["by_slug"]
        category = by_slug.get(slug)
        if category is None:
            return queryset.none()
        ids = [category.pk, *(c.pk for c in by_slug.values() if c.parent_id == category.pk)]
        through = queryset.model.categories.through
        return queryset.filter(Exists(through.objects.filter(expertpage_id=OuterRef("pk"), category_id__in=ids)))


class PriceFilter(BrowseFilter):
    """Price range in whole units of the reference currency, against the cheapest session."""

    def fields(self, *, choices):
        common = {"required": False, "min_value": 0, "max_value": 100_000, "decimal_places": 2, "max_digits": 8}
        return {
            "price_min": forms.DecimalField(label=_("Min price (%(cur)s)") % {"cur": REFERENCE_CURRENCY}, **common),
            "price_max": forms.DecimalField(label=_("Max price (%(cur)s)") % {"cur": REFERENCE_CURRENCY}, **common),
        }

    def apply(self, queryset, data):
        low, high = data.get("price_min"), data.get("price_max")
        if low is not None:
            queryset = queryset.filter(profile__price_from_ref_minor__gte=Money.from_major(low, "USD").amount)
        if high is not None:
            queryset = queryset.filter(profile__price_from_ref_minor__lte=Money.from_major(high, "USD").amount)
        return queryset


class RatingFilter(BrowseFilter):
    def fields(self, *, choices):
        return {
            "rating": forms.TypedChoiceField(
                label=_("Minimum rating"),
                required=False,
                coerce=Decimal,
                empty_value=None,
                choices=[("", _("Any rating")), ("3", "3+"), ("4", "4+"), ("4.5", "4.5+")],
            )
        }

    def apply(self, queryset, data):
        minimum = data.get("rating")
        return queryset if minimum is None else queryset.filter(profile__rating_avg__gte=minimum)


class LanguageFilter(BrowseFilter):
    def fields(self, *, choices):
        return {
            "language": forms.ChoiceField(
                label=_("Language"), required=False, choices=[("", _("Any language")), *choices["languages"]]
            )
        }

    def apply(self, queryset, data):
        code = data.get("language")
        if not code:
            return queryset
        # The page's denormalised "de,en,fr" list: a row-local check that never
        # drives the plan, instead of a semi-join over every English speaker.
        return queryset.filter(
            Q(language_codes=code)
            | Q(language_codes__startswith=f"{code},")
            | Q(language_codes__endswith=f",{code}")
            | Q(language_codes__contains=f",{code},")
        )


AVAILABLE_WITHIN_DAYS = (1, 3, 7, 14, 30)


class AvailableFilter(BrowseFilter):
    """Experts with a free time within N days, from the denormalised ``next_available_at``.

    The slot engine never runs here: the profile column is kept fresh by
    ``bookings.services.next_free`` (on commit, and a schedule), so the filter
    is one indexed comparison on a row the page query already joins.
    """

    def fields(self, *, choices):
        return {
            "available": forms.TypedChoiceField(
                label=_("Available within"),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[
                    ("", _("Any time")),
                    ("1", _("24 hours")),
                    *((str(days), _("%(n)s days") % {"n": days}) for days in AVAILABLE_WITHIN_DAYS[1:]),
                ],
                error_messages={
                    "invalid_choice": _("Choose one of the listed periods: 1, 3, 7, 14 or 30 days."),
                },
            )
        }

    def apply(self, queryset, data):
        days = data.get("available")
        if days is None:
            return queryset
        return queryset.filter(profile__next_available_at__lte=timezone.now() + timedelta(days=days))


BROWSE_FILTERS: list[BrowseFilter] = [
    CategoryFilter(),
    PriceFilter(),
    RatingFilter(),
    LanguageFilter(),
    AvailableFilter(),
]

SORT_CHOICES = [
    ("relevance", _("Best match")),
    ("rating", _("Rating")),
    ("price_asc", _("Price: low to high")),
    ("price_desc", _("Price: high to low")),
    ("sessions", _("Most sessions")),
    ("for_you", _("Best match for your goals")),  # marketplace.browse.personal; signed-in learners
]


class _HiddenWhenSet(forms.HiddenInput):
    """A hidden input only when it carries a value, so an unset zone adds no empty ``tz=`` to shared links."""

    def render(self, name, value, attrs=None, renderer=None):
        return super().render(name, value, attrs, renderer) if value else ""


class ExpertBrowseForm(forms.Form):
    """Parses the browse query string. Invalid parts are reported and ignored, never fatal."""

    q = forms.CharField(label=_("Search experts"), required=False, max_length=100, strip=True)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)
    # The zone the cards' next free times are shown in (``?tz=Europe/Berlin``); not a filter.
    tz = forms.CharField(label=_("Time zone"), required=False, max_length=64, widget=_HiddenWhenSet)

    def __init__(self, data, *, choices: Mapping[str, Any], filters: list[BrowseFilter] | None = None) -> None:
        super().__init__(data)
        self.browse_filters = filters if filters is not None else BROWSE_FILTERS
        for browse_filter in self.browse_filters:
            self.fields.update(browse_filter.fields(choices=choices))
        self.order_fields(["q", "category", "price_min", "price_max", "rating", "language", "available", "sort"])
        use_quick_selects(self)  # same markup; the selects were half of the page's template time

    def clean_tz(self) -> str:
        zone = self.cleaned_data["tz"]
        if zone and zone not in available_time_zones():
            raise forms.ValidationError(
                _("“%(tz)s” is not a known time zone; times are shown in another zone."), params={"tz": zone}
            )
        return zone

    def clean(self):
        data = super().clean()
        low, high = data.get("price_min"), data.get("price_max")
        if low is not None and high is not None and low > high:
            self.add_error("price_max", _("The maximum price is below the minimum; we swapped them."))
            data["price_min"], data["price_max"] = high, low
        return data

    def valid_data(self) -> dict[str, Any]:
        """The values that parsed; a field with an error counts as not given."""
        self.is_valid()
        data = dict(self.cleaned_data)
        for name in self.errors:
            if name != "price_max":  # a swapped range is still usable
                data.pop(name, None)
        return data

    def apply_filters(self, queryset: QuerySet, data: Mapping[str, Any]) -> QuerySet:
        for browse_filter in self.browse_filters:
            queryset = browse_filter.apply(queryset, data)
        return queryset
