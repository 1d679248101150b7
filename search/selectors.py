"""Site search over every live, public page of the visitor's language."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Locale, Page
from wagtail.search.utils import normalise_query_string

from core.pagination import page_number

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 200


def clean_query(raw: str | None) -> str:
    """Drop control characters (PostgreSQL refuses NUL), collapse whitespace, cap the length.

    Markup stays plain text here and is escaped on output.
    """
    printable = "".join(ch for ch in (raw or "") if unicodedata.category(ch) != "Cc" or ch in " \t\n")
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


@dataclass
class SearchOutcome:
    query: str
    results: PaginatorPage | None = None
    promotions: list[SearchPromotion] = field(default_factory=list)
    total: int = 0

    @property
    def context(self) -> dict[str, Any]:
        return {
            "search_query": self.query,
            "search_results": self.results,
            "promotions": self.promotions,
            "total": self.total,
        }


def site_search(*, raw_query: str | None, raw_page: str | None) -> SearchOutcome:
    query = clean_query(raw_query)
    outcome = SearchOutcome(query=query)
    if not query:
        return outcome
    locale = Locale.get_active()
    # Read-only on purpose: Query.get() would create a row for every search typed.
    promotions = (
        SearchPromotion.objects.filter(query__query_string=normalise_query_string(query))
        .select_related("page")
        .order_by("sort_order")
    )
    outcome.promotions = [p for p in promotions if p.page is None or (p.page.live and p.page.locale_id == locale.pk)]
    promoted_ids = {promotion.page_id for promotion in outcome.promotions if promotion.page_id}
    pages = Page.objects.live().public().filter(locale=locale).exclude(depth__lte=1).exclude(pk__in=promoted_ids)
    paginator = Paginator(pages.search(query, operator="and"), RESULTS_PER_PAGE)
    number = min(page_number(raw_page), max(paginator.num_pages, 1))
    page = paginator.page(number)
    # Specific pages (blog posts, expert pages...) for this screen only: one query per page type.
    ids = [result.pk for result in page.object_list]
    specific = {p.pk: p for p in Page.objects.filter(pk__in=ids).specific()}
    page.object_list = [specific[pk] for pk in ids if pk in specific]
    outcome.results = page
    outcome.total = paginator.count
    return outcome
