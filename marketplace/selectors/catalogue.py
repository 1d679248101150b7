"""The catalogue's reference data, cached: categories and languages, and a counter of changes."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import F
from django.db.models.functions import Coalesce

from ..models.categories import Category, Language

CHOICES_CACHE_KEY = "marketplace:browse-choices:v2"
# Browse counts are cached per catalogue version, which any change to an expert's
# profile, an expert page's live state or tree position, a category or a language
# moves on (see marketplace.signals).
CATALOGUE_VERSION_KEY = "marketplace:catalogue-version"


def browse_choices() -> dict[str, Any]:
    """Filter choices and categories by slug, cached until a category or language changes (see signals).

    Routing /experts/<slug>/ and the filter form both read this, so a warm
    browse or category page spends no query on categories or languages.
    """
    choices = cache.get(CHOICES_CACHE_KEY)
    if choices is None:
        ordered = list(
            Category.objects.select_related("parent").order_by(
                Coalesce("parent__sort_order", "sort_order"),
                Coalesce("parent__name", "name"),
                F("parent_id").asc(nulls_first=True),
                "sort_order",
                "name",
            )
        )
        choices = {
            "categories": [(category.slug, str(category)) for category in ordered],
            "languages": list(Language.objects.values_list("code", "name")),
            "by_slug": {category.slug: category for category in ordered},
        }
        cache.set(CHOICES_CACHE_KEY, choices, timeout=3600)
    return choices


def category_by_slug(slug: str) -> Category | None:
    return browse_choices()["by_slug"].get(slug)


def browse_choices_invalidate(**kwargs) -> None:
    cache.delete(CHOICES_CACHE_KEY)


def catalogue_version() -> int:
    return cache.get_or_set(CATALOGUE_VERSION_KEY, 1, timeout=None)


def catalogue_changed(**kwargs) -> None:
    """Every cached browse count goes stale: an expert, a page, a category or a language changed."""
    try:
        cache.incr(CATALOGUE_VERSION_KEY)
    except ValueError:
        cache.set(CATALOGUE_VERSION_KEY, 2, timeout=None)
