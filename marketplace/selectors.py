"""Reads shaped for the marketplace screens, each with a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, Prefetch, QuerySet, Value, When
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.models import Locale

from .filters import ExpertBrowseForm
from .models import Category, ExpertPage, ExpertProfile, Language, Package, SessionType

CARD_PHOTO_SPEC = "fill-160x160"
DETAIL_PHOTO_SPEC = "fill-320x320"
PER_PAGE = 12
# Keyword search ranks at most this many matches; filters and sorting then run in SQL.
SEARCH_LIMIT = 500


def browse_choices() -> dict[str, list[tuple[str, str]]]:
    """Choices for the filter form: two queries, however many experts there are."""
    categories = [
        (c.slug, str(c))
        for c in Category.objects.select_related("parent").order_by(
            F("parent__sort_order").asc(nulls_first=True), "parent__name", "parent_id", "sort_order", "name"
        )
    ]
    languages = list(Language.objects.values_list("code", "name"))
    return {"categories": categories, "languages": languages}


def expert_cards_queryset(*, locale: Locale) -> QuerySet[ExpertPage]:
    image_model = get_image_model()
    return (
        ExpertPage.objects.live()
        .filter(locale=locale, profile__status=ExpertProfile.Status.ACTIVE)
        .select_related("profile")
        .only(
            "id",
            "title",
            "url_path",
            "slug",
            "locale_id",
            "headline",
            "photo_id",
            "depth",
            "path",
            "profile__currency",
            "profile__rating_avg",
            "profile__rating_count",
            "profile__sessions_completed",
            "profile__price_from_minor",
            "profile__price_from_ref_minor",
            "profile__status",
        )
        .prefetch_related(
            Prefetch("languages", queryset=Language.objects.only("id", "code", "name")),
            Prefetch("photo", queryset=image_model.objects.prefetch_renditions(CARD_PHOTO_SPEC)),
        )
    )


SORT_ORDERS = {
    "rating": [F("profile__rating_avg").desc(), F("profile__rating_count").desc(), "pk"],
    "price_asc": [F("profile__price_from_ref_minor").asc(nulls_last=True), "pk"],
    "price_desc": [F("profile__price_from_ref_minor").desc(nulls_last=True), "pk"],
    "sessions": [F("profile__sessions_completed").desc(), "pk"],
}
# "Best match" without a keyword: well-rated, busy experts first.
DEFAULT_ORDER = [F("profile__rating_avg").desc(), F("profile__sessions_completed").desc(), "pk"]


@dataclass
class BrowseResult:
    page: PaginatorPage
    notices: list[str] = field(default_factory=list)
    query: str = ""
    sort: str = "relevance"
    filtered: bool = False


def expert_browse(
    *, form: ExpertBrowseForm, locale: Locale, category: Category | None, page_number: Any, per_page: int = PER_PAGE
) -> BrowseResult:
    """Filtered, searched, sorted and paginated expert cards.

    Queries: one search (only with a keyword), one count, one page of rows and
    three prefetches (languages, photos, renditions) — the same for any page
    size or number of experts.
    """
    data = form.valid_data()
    notices = [f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()]
    if category is not None:
        data["category"] = category.slug
    queryset = form.apply_filters(expert_cards_queryset(locale=locale), data)
    query = data.get("q") or ""
    sort = data.get("sort") or "relevance"
    if query:
        ranked = [
            page.pk
            for page in ExpertPage.objects.live().filter(locale=locale).search(query, operator="and")[:SEARCH_LIMIT]
        ]
        queryset = queryset.filter(pk__in=ranked)
        if sort == "relevance":
            position = Case(
                *[When(pk=pk, then=Value(rank)) for rank, pk in enumerate(ranked)], output_field=IntegerField()
            )
            queryset = queryset.order_by(position, "pk") if ranked else queryset
    if not (query and sort == "relevance"):
        queryset = queryset.order_by(*SORT_ORDERS.get(sort, DEFAULT_ORDER))

    paginator = Paginator(queryset, per_page)
    number = _page_number(page_number, notices)
    if number > paginator.num_pages:
        notices.append(
            _("There is no page %(number)s; showing the last page, %(last)s.")
            % {"number": number, "last": paginator.num_pages}
        )
        number = paginator.num_pages
    filtered = bool(query) or any(data.get(name) not in (None, "") for name in form.fields if name not in ("q", "sort"))
    return BrowseResult(page=paginator.page(number), notices=notices, query=query, sort=sort, filtered=filtered)


def _page_number(raw: Any, notices: list[str]) -> int:
    if raw in (None, ""):
        return 1
    try:
        number = int(raw)
    except (TypeError, ValueError):
        notices.append(_("“%(page)s” is not a page number; showing the first page.") % {"page": str(raw)[:20]})
        return 1
    if number < 1:
        notices.append(_("Page numbers start at 1; showing the first page."))
        return 1
    return number


def expert_page_detail(*, page: ExpertPage, request) -> dict[str, Any]:
    """Everything the expert page shows besides the page fields: a fixed number of queries."""
    profile = page.profile
    session_types = list(SessionType.objects.filter(profile=profile, is_active=True))
    packages = list(
        Package.objects.filter(profile=profile, is_active=True, session_type__is_active=True).select_related(
            "session_type"
        )
    )
    categories = list(page.categories.select_related("parent"))
    index_page = page.get_parent()
    from .structured_data import expert_page_jsonld

    return {
        "profile": profile,
        "session_types": session_types,
        "packages": packages,
        "expert_categories": categories,
        "expert_languages": list(page.languages.all()),
        "expert_skills": list(page.skills.all()),
        "index_page": index_page,
        "jsonld": expert_page_jsonld(
            page=page, profile=profile, session_types=session_types, packages=packages, request=request
        ),
    }
