"""The browse listing: filtered, searched, sorted and paginated expert cards."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext as _

from core.db_router import replica_reads
from core.pagination import page_number as parse_page_number

from ..models.categories import Category
from ..models.querysets import DEFAULT_ORDER, SORT_ORDERS
from ..models.search import search_documents_supported
from .catalogue import catalogue_version

if TYPE_CHECKING:
    from ..browse.filters import ExpertBrowseForm
    from ..models.querysets import ExpertPageQuerySet

PER_PAGE = 12
# Without PostgreSQL (the SQLite demo), keyword search ranks at most this many matches
# with Wagtail's backend; filters and sorting then run in SQL.
SEARCH_LIMIT = 500
# The count stops here: an exact total over thousands of matches would make every
# request scan them all, and nobody pages that far. The page says "1,000+" instead.
COUNT_LIMIT = 1000
# Counts are shared through the cache until the catalogue changes (see
# ``catalogue_version``): counting every match is the dearest query of a filtered
# page, and the same filter combinations come back again and again. The timeout
# is only a backstop.
COUNT_CACHE_TIMEOUT = 10 * 60


@dataclass
class BrowseResult:
    page: PaginatorPage
    notices: list[str] = field(default_factory=list)
    query: str = ""
    sort: str = "relevance"
    filtered: bool = False
    more: bool = False  # more matches than COUNT_LIMIT


@replica_reads  # public listing: a replica's few seconds of lag are fine (core.db_router)
def expert_browse(
    *,
    pages: ExpertPageQuerySet,
    form: ExpertBrowseForm,
    locale_id: int,
    category: Category | None,
    page_number: Any,
    language_names: dict[str, str],
    per_page: int | None = None,
    ranked: list[int] | None = None,
) -> BrowseResult:
    """Filtered, searched, sorted and paginated expert cards out of ``pages`` (``ExpertPage.objects``).

    Queries: one page of rows, one capped count (from the cache until the
    catalogue changes) and one for the photo renditions — the same for any page
    size or number of experts, with or without a keyword on PostgreSQL (the
    keyword matches the page's own indexed search document inside the page
    query). Elsewhere a keyword costs one search query first. A short first
    page needs no count; a page past the end costs one more page query.
    """
    per_page = per_page or PER_PAGE
    data = form.valid_data()
    notices = [f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()]
    queryset, data = expert_browse_queryset(
        pages=pages, form=form, data=data, locale_id=locale_id, category=category, ranked=ranked
    )
    query = data.get("q") or ""
    sort = data.get("sort") or "relevance"

    requested = parse_page_number(page_number, notices)
    # No page lies past COUNT_LIMIT: a larger number is never sent to the database as an offset.
    number = min(requested, -(-(COUNT_LIMIT + 1) // per_page))
    rows = _page_rows(queryset, number, per_page)
    if number == 1 and len(rows) < per_page:
        total = len(rows)  # a short first page is the whole result: no count needed
    else:
        total = _capped_count(queryset, locale_id=locale_id, data=data)
    last = max(1, -(-min(total, COUNT_LIMIT) // per_page))
    if requested > last:
        notices.append(
            _("There is no page %(number)s; showing the last page, %(last)s.") % {"number": requested, "last": last}
        )
        number = last
        rows = _page_rows(queryset, number, per_page)
    for row in rows:
        row.language_names = [language_names.get(code, code) for code in row.language_codes.split(",") if code]
    paginator = Paginator(queryset, per_page)
    paginator.count = min(total, COUNT_LIMIT)  # counted above: no second COUNT query
    page = PaginatorPage(rows, number, paginator)
    filtered = bool(query) or any(data.get(name) not in (None, "") for name in form.fields if name not in ("q", "sort"))
    return BrowseResult(page=page, notices=notices, query=query, sort=sort, filtered=filtered, more=total > COUNT_LIMIT)


def expert_browse_queryset(
    *,
    pages: ExpertPageQuerySet,
    form: ExpertBrowseForm,
    data: dict[str, Any],
    locale_id: int,
    category: Category | None,
    ranked: list[int] | None = None,
) -> tuple[QuerySet, dict[str, Any]]:
    """The filtered, searched and sorted cards (unsliced) and the values applied: browse and the API share it.

    ``data`` is the form's valid values (``form.valid_data()``); a category from
    the URL wins over one in the query string. On PostgreSQL the keyword is part
    of the one page query; elsewhere it costs one search query here. ``ranked`` (page ids, best
    first) orders the "for_you" sort: those pages first, then the default order.
    """
    data = dict(data)
    if category is not None:
        data["category"] = category.slug
    query = data.get("q") or ""
    sort = data.get("sort") or "relevance"
    base = pages
    if query and search_documents_supported():
        # PostgreSQL: the page's own indexed document; the match is part of the page query.
        base = pages.matching(query=query, locale_id=locale_id, by_relevance=sort == "relevance")
    queryset = form.apply_filters(base.cards(locale_id=locale_id), data)
    if query and base is pages:
        ranked = [
            page.pk for page in pages.live().filter(locale_id=locale_id).search(query, operator="and")[:SEARCH_LIMIT]
        ]
        queryset = queryset.filter(pk__in=ranked)
        if sort == "relevance" and ranked:
            position = Case(
                *[When(pk=pk, then=Value(rank)) for rank, pk in enumerate(ranked)], output_field=IntegerField()
            )
            queryset = queryset.order_by(position, "pk")
    if sort == "for_you" and ranked:
        position = Case(
            *[When(pk=pk, then=Value(rank)) for rank, pk in enumerate(ranked)],
            default=Value(len(ranked)),
            output_field=IntegerField(),
        )
        queryset = queryset.order_by(position, *DEFAULT_ORDER)
    elif not (query and sort == "relevance"):
        queryset = queryset.order_by(*SORT_ORDERS.get(sort, DEFAULT_ORDER))
    return queryset, data


def _current_minute() -> int:
    return int(time.time() // 60)


def _capped_count(queryset: QuerySet, *, locale_id: int, data: dict[str, Any]) -> int:
    """Matches up to COUNT_LIMIT + 1, from the cache when the same filters were counted since the last change."""
    criteria = sorted((name, str(value)) for name, value in data.items() if name not in ("sort", "page", "tz"))
    timeout = COUNT_CACHE_TIMEOUT
    if data.get("available"):
        # "Available within N days" moves with the clock and with bookings, and the
        # next free times are written by bulk updates that send no signal: such a
        # count is kept for the current minute only.
        criteria.append(("minute", str(_current_minute())))
        timeout = 60
    digest = hashlib.sha256(repr((locale_id, criteria)).encode()).hexdigest()[:32]
    key = f"marketplace:browse-count:{catalogue_version()}:{digest}"
    total = cache.get(key)
    if total is None:
        total = queryset.order_by()[: COUNT_LIMIT + 1].count()
        cache.set(key, total, timeout=timeout)
    return total


def _page_rows(queryset: QuerySet, number: int, per_page: int) -> list:
    start = (number - 1) * per_page
    return list(queryset[start : start + per_page])
