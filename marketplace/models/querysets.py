"""Reads of expert pages as queryset methods (``ExpertPage.objects.cards(...)``).

They live with the models because the page model is what every caller has at
hand; the selectors above build screens out of them without importing the page
classes (see docs/architecture.md, "Pages read, never write").
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.db.models import F, OrderBy, Prefetch
from wagtail.images import get_image_model
from wagtail.models import Locale
from wagtail.query import PageQuerySet

from .profiles import ExpertProfile
from .search import DEFAULT_SEARCH_CONFIG, SEARCH_CONFIGS

CARD_PHOTO_SPEC = "fill-160x160"
DETAIL_PHOTO_SPEC = "fill-320x320"
FEATURED_EXPERTS = 4

SORT_ORDERS = {
    "rating": [F("profile__rating_avg").desc(), F("profile__rating_count").desc(), "pk"],
    "price_asc": [F("profile__price_from_ref_minor").asc(nulls_last=True), "pk"],
    "price_desc": [F("profile__price_from_ref_minor").desc(nulls_last=True), "pk"],
    "sessions": [F("profile__sessions_completed").desc(), "pk"],
}
# "Best match" without a keyword: well-rated, busy experts first.
DEFAULT_ORDER = [F("profile__rating_avg").desc(), F("profile__sessions_completed").desc(), "pk"]


def locale_search_config(locale_id: int) -> str:
    """The text search configuration of a locale's language.

    A constant in the query (not a subquery) so PostgreSQL can estimate how many
    documents match and plan the joins for that; locales are few and their
    language never changes, so the code is kept in the cache.
    """
    key = f"marketplace:locale-language:{locale_id}"
    language_code = cache.get(key)
    if language_code is None:
        language_code = Locale.objects.filter(pk=locale_id).values_list("language_code", flat=True).first() or ""
        cache.set(key, language_code, timeout=24 * 3600)
    return SEARCH_CONFIGS.get(language_code.split("-")[0].lower(), DEFAULT_SEARCH_CONFIG)


class ExpertPageQuerySet(PageQuerySet):
    def cards(self, *, locale_id: int) -> ExpertPageQuerySet:
        """Live pages of active experts in one locale, shaped for cards (one row each, photos prefetched)."""
        rendition_model = get_image_model().get_rendition_model()
        return (
            self.live()
            .filter(locale_id=locale_id, profile__status=ExpertProfile.Status.ACTIVE)
            .select_related("profile", "photo")
            .only(
                *("id", "title", "url_path", "slug", "locale_id", "headline", "photo", "depth", "path"),
                "language_codes",
                *("profile__currency", "profile__rating_avg", "profile__rating_count", "profile__sessions_completed"),
                *("profile__price_from_minor", "profile__price_from_ref_minor", "profile__status"),
                *("profile__next_available_at", "profile__horizon_days"),
            )
            .prefetch_related(
                # The attribute Wagtail's prefetch_renditions() fills, so {% image %} finds them.
                Prefetch(
                    "photo__renditions",
                    queryset=rendition_model.objects.filter(filter_spec=CARD_PHOTO_SPEC),
                    to_attr="prefetched_renditions",
                ),
            )
        )

    def featured(self, *, locale_id: int, limit: int = FEATURED_EXPERTS) -> list:
        """The top active experts of one locale (highest rating, then most sessions), shaped for cards.

        Fills the home page's featured-experts block when the editor picked
        nobody. Two queries however many experts exist: the rows, and their
        photo renditions (none without photos).
        """
        return list(self.cards(locale_id=locale_id).order_by(*DEFAULT_ORDER)[:limit])

    def matching(self, *, query: str, locale_id: int, by_relevance: bool) -> ExpertPageQuerySet:
        """Pages whose search document has every word of ``query``, analysed as ``locale_id``'s language.

        PostgreSQL only, served by the documents' GIN index; chain ``cards()`` for
        the live pages of that locale. With ``by_relevance`` they come best match
        first (``ts_rank`` over the weights, then page id for a stable order).
        """
        search_query = SearchQuery(query, search_type="plain", config=locale_search_config(locale_id))
        pages = self.filter(search_document__vector=search_query)
        if by_relevance:
            rank = SearchRank(F("search_document__vector"), search_query)
            pages = pages.order_by(OrderBy(rank, descending=True), "pk")
        return pages
