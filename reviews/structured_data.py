"""The expert page's reviews section and its JSON-LD, rendered once and cached until a review changes.

The section (summary, distribution, a page of ten reviews, the pager) cost about a quarter of the
expert page's time with 5,000 reviews (benchmarks/RESULTS.md, 29 Nov). It is the same for every
visitor in one language and time zone, so it is rendered once and kept in the cache under a key of
the expert, the page, the language, the time zone and the expert's *reviews version*. Every service
that changes what the public sees of an expert's reviews (publish, edit, hide, restore, reply, staff
reply) calls ``expert_reviews_changed`` in its transaction; on commit that drops the version, so the
next visitor renders afresh under a new one and the old entries expire unread. A hit costs two cache
reads and no query. An expert without public reviews costs nothing (the aggregate says so).
"""

from __future__ import annotations

import math
import secrets
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.pagination import page_number
from marketplace.services.page_cache import expert_pages_purge

from .selectors import PUBLIC_PAGE_SIZE, expert_public_reviews, expert_review_summary

_REQUEST_ATTRIBUTE = "_expert_reviews_bundle"
# Entries outlive no change (the version moves on every change); the timeout only bounds how long a
# learner's renamed first name can linger and how long orphaned entries use memory.
CACHE_SECONDS = 15 * 60
TEMPLATE = "reviews/includes/_expert_reviews.html"


def _version_key(profile_id: int) -> str:
    return f"reviews:v:{profile_id}"


def _version(profile_id: int) -> str:
    key = _version_key(profile_id)
    version = cache.get(key)
    if version is None:
        cache.add(key, secrets.token_hex(6), None)
        version = cache.get(key) or "0"
    return version


def expert_reviews_changed(*, profile_id: int) -> None:
    """What visitors see of this expert's reviews changes when the caller's transaction commits.

    Dropped now and again on commit: a visitor who renders between the two (reading the rows as they
    were before the commit) stores them under a version that the second drop retires."""
    key = _version_key(profile_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key), robust=True)
    # The whole expert page (and its rating) is in the page cache and a CDN too.
    expert_pages_purge(profile_id=profile_id)


def _jsonld_items(page) -> list[dict[str, Any]]:
    if page.number != 1:
        return []
    return [
        {
            "@type": "Review",
            "reviewRating": {"@type": "Rating", "ratingValue": review.rating, "bestRating": 5, "worstRating": 1},
            "author": {"@type": "Person", "name": review.learner.first_name or "TapTime learner"},
            "datePublished": review.published_at.date().isoformat(),
            **({"reviewBody": review.text} if review.text else {}),
        }
        for review in page.object_list
    ]


def expert_reviews_bundle(*, profile, request) -> dict[str, Any]:
    """``html`` (the section) and ``jsonld`` (schema.org reviews of the first page) for the expert page."""
    cached = getattr(request, _REQUEST_ATTRIBUTE, None) if request is not None else None
    if cached is not None and cached["profile_id"] == profile.pk:
        return cached
    if not profile.rating_count:
        # The aggregate is written with the reviews, in one transaction: no public review, no query.
        bundle = {"profile_id": profile.pk, "html": render_to_string(TEMPLATE, {"summary": {"count": 0}}), "jsonld": []}
    else:
        # Clamp the page with the aggregate's count, so ``?reviews=<anything>`` cannot mint new keys.
        last = max(1, math.ceil(profile.rating_count / PUBLIC_PAGE_SIZE))
        number = min(page_number(request.GET.get("reviews") if request is not None else None), last)
        key = ":".join(
            (
                "reviews:section",
                str(profile.pk),
                _version(profile.pk),
                str(number),
                translation.get_language() or "",
                timezone.get_current_timezone_name(),
            )
        )
        bundle = cache.get(key)
        if bundle is None:
            summary = expert_review_summary(profile_id=profile.pk)
            page = expert_public_reviews(profile_id=profile.pk, total=summary["count"], raw_page=number)
            bundle = {
                "profile_id": profile.pk,
                "html": render_to_string(TEMPLATE, {"summary": summary, "reviews": page}),
                "jsonld": _jsonld_items(page),
            }
            cache.set(key, bundle, CACHE_SECONDS)
    if request is not None:
        setattr(request, _REQUEST_ATTRIBUTE, bundle)
    return bundle


def expert_reviews_jsonld(*, profile, request) -> dict[str, Any]:
    """schema.org ``review`` items for the expert's Service: the public reviews on the first page only."""
    if not profile.rating_count:
        return {}
    items = expert_reviews_bundle(profile=profile, request=request)["jsonld"]
    return {"review": items} if items else {}
