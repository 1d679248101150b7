"""Reads shaped for the review screens, each in a fixed number of queries however many reviews exist."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch

from bookings.models import Booking
from core.pagination import page_number

from .models import ModerationDecision, ReviewReport, SessionReview

PUBLIC_PAGE_SIZE = 10
EXPERT_PAGE_SIZE = 20


def expert_review_summary(*, profile_id: int) -> dict[str, Any]:
    """Average, count and the 5→1 distribution of an expert's public reviews (one grouped query)."""
    counts = dict(
        SessionReview.objects.public()
        .filter(profile_id=profile_id)
        .values_list("rating")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("rating", "n")
    )
    total = sum(counts.values())
    stars = sum(rating * n for rating, n in counts.items())
    return {
        "count": total,
        "average": round(stars / total, 1) if total else None,
        "distribution": [
            {
                "stars": rating,
                "count": counts.get(rating, 0),
                "percent": round(100 * counts.get(rating, 0) / total) if total else 0,
            }
            for rating in range(5, 0, -1)
        ],
    }


def _page(queryset, *, total: int, raw_page: Any, per_page: int) -> Page:
    """A page of ``queryset`` whose size is already known: the paginator asks for no COUNT."""
    paginator = Paginator(queryset, per_page)
    paginator.__dict__["count"] = total  # ``count`` is a cached_property: the summary already counted
    return paginator.get_page(page_number(raw_page))


def expert_public_reviews(*, profile_id: int, total: int, raw_page: Any = None) -> Page:
    """A page of an expert's public reviews, newest first, with the learner (one query)."""
    return _page(
        expert_public_review_list(profile_id=profile_id), total=total, raw_page=raw_page, per_page=PUBLIC_PAGE_SIZE
    )


def expert_public_review_list(*, profile_id: int):
    """An expert's public reviews with their learner, newest first (the index ``review_profile_public``)."""
    return (
        SessionReview.objects.public()
        .filter(profile_id=profile_id)
        .select_related("learner")
        .only(
            "rating",
            "knowledge",
            "clarity",
            "preparation",
            "text",
            "session_minutes",
            "published_at",
            "reply",
            "replied_at",
            "reply_by_staff",
            "learner__full_name",
        )
        .order_by("-published_at", "-id")
    )


def expert_own_reviews(*, expert, raw_page: Any = None) -> Page:
    """The signed-in expert's published reviews (hidden ones included, marked), newest first: two queries."""
    reviews = (
        SessionReview.objects.filter(profile__user=expert, published_at__isnull=False)
        .select_related("learner")
        .order_by("-published_at", "-id")
    )
    return Paginator(reviews, EXPERT_PAGE_SIZE).get_page(page_number(raw_page))


def learner_rate_invitations(*, learner, now: datetime) -> list[Booking]:
    """The learner's completed sessions still open for a review, newest first, with the review if written."""
    since = now - timedelta(days=settings.REVIEW_EDIT_DAYS)
    return list(
        Booking.objects.filter(learner=learner, status=Booking.Status.COMPLETED, end__gt=since, end__lte=now)
        .select_related("expert", "review")
        .order_by("-end")[:10]
    )


def moderation_queue(*, show: str = "queue", raw_page: Any = None) -> Page:
    """Reviews waiting for a decision (flagged or reported), or the hidden ones: four queries a page."""
    reviews = SessionReview.objects.select_related("learner", "profile__user", "booking").prefetch_related(
        Prefetch("reports", queryset=ReviewReport.objects.select_related("reporter").order_by("created_at")),
        Prefetch("decisions", queryset=ModerationDecision.objects.select_related("staff").order_by("created_at")),
    )
    if show == "hidden":
        reviews = reviews.filter(hidden_at__isnull=False).order_by("-hidden_at", "-id")
    else:
        reviews = reviews.filter(needs_moderation=True).order_by("created_at", "id")
    return Paginator(reviews, EXPERT_PAGE_SIZE).get_page(page_number(raw_page))


def learner_ratings_given(*, learner, booking_ids=None) -> dict[int, dict[str, Any]]:
    """The learner's own ratings by booking id (``rating``, ``created_at``), one query.

    For the learner's progress and history screens (learning): every rating they gave, published or
    not, since it is their own.
    """
    reviews = SessionReview.objects.filter(learner=learner)
    if booking_ids is not None:
        reviews = reviews.filter(booking_id__in=list(booking_ids))
    return {
        row["booking_id"]: row for row in reviews.values("booking_id", "rating", "created_at").order_by("created_at")
    }


def expert_ratings_given_to(*, expert) -> list[tuple[datetime, int]]:
    """Every rating the expert received (when written, overall rating), oldest first; one query.

    For the expert's insights (learning): hidden reviews count too, since the rating was given.
    """
    return list(
        SessionReview.objects.filter(profile__user=expert).order_by("created_at").values_list("created_at", "rating")
    )
