"""The expert page's reviews, read once per request and shared by the page section and its JSON-LD."""

from __future__ import annotations

from typing import Any

from .selectors import expert_public_reviews, expert_review_summary

_CACHE_ATTRIBUTE = "_expert_reviews_context"


def expert_reviews_context(*, profile, request) -> dict[str, Any]:
    """Summary and the requested page of public reviews; cached on the request (the page and its
    structured data both ask)."""
    cached = getattr(request, _CACHE_ATTRIBUTE, None) if request is not None else None
    if cached is not None and cached["profile_id"] == profile.pk:
        return cached
    if not profile.rating_count:
        # The aggregate is written with the reviews, in one transaction: no public review, no query.
        return {"profile_id": profile.pk, "summary": {"count": 0}, "reviews": None}
    summary = expert_review_summary(profile_id=profile.pk)
    raw_page = request.GET.get("reviews") if request is not None else None
    reviews = expert_public_reviews(profile_id=profile.pk, total=summary["count"], raw_page=raw_page)
    result = {"profile_id": profile.pk, "summary": summary, "reviews": reviews}
    if request is not None:
        setattr(request, _CACHE_ATTRIBUTE, result)
    return result


def expert_reviews_jsonld(*, profile, request) -> dict[str, Any]:
    """schema.org ``review`` items for the expert's Service: the public reviews on the first page only."""
    if not profile.rating_count:
        return {}
    reviews = expert_reviews_context(profile=profile, request=request)["reviews"]
    if reviews.number != 1:
        return {}
    items = [
        {
            "@type": "Review",
            "reviewRating": {"@type": "Rating", "ratingValue": review.rating, "bestRating": 5, "worstRating": 1},
            "author": {"@type": "Person", "name": review.learner.first_name or "TapTime learner"},
            "datePublished": review.published_at.date().isoformat(),
            **({"reviewBody": review.text} if review.text else {}),
        }
        for review in reviews.object_list
    ]
    return {"review": items} if items else {}
