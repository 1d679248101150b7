"""The staff review queue and one application's review screen, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.pagination import page_number as parse_page_number

from ..models.applications import ApplicationDocument, ApplicationEvent, ExpertApplication
from ..models.categories import Category

Status = ExpertApplication.Status
PER_PAGE = 50
# "Waiting more than …" filter, in days.
AGE_CHOICES = (1, 3, 7, 14, 30)
# Queue sorts: by waiting time (submitted first = longest waiting), either way.
ORDERINGS = {
    "waiting": ("submitted_at", "pk"),
    "-waiting": ("-submitted_at", "-pk"),
}


@dataclass(frozen=True)
class QueueFilters:
    status: str = "waiting"  # "waiting" (submitted or in review), "all", or one status
    category: int | None = None  # a top-level category includes its subcategories
    older_than_days: int | None = None
    reviewer: str = ""  # "", "me", "none", or a user id
    order: str = "waiting"


_document_counts = (
    ApplicationDocument.objects.filter(application=OuterRef("pk"))
    .order_by()
    .values("application")
    .annotate(count=Count("pk"))
    .values("count")
)


def applications_waiting_count() -> int:
    """Applications waiting for a decision (submitted or in review): one indexed count."""
    return ExpertApplication.objects.filter(status__in=ExpertApplication.WAITING_STATUSES).count()


def _filtered(filters: QueueFilters, *, viewer_id: int, now) -> QuerySet[ExpertApplication]:
    queryset = ExpertApplication.objects.exclude(status=Status.DRAFT)
    if filters.status == "waiting":
        queryset = queryset.filter(status__in=ExpertApplication.WAITING_STATUSES)
    elif filters.status in Status.values:
        queryset = queryset.filter(status=filters.status)
    if filters.category is not None:
        matching = Category.objects.filter(Q(pk=filters.category) | Q(parent_id=filters.category)).values("pk")
        queryset = queryset.filter(
            pk__in=ExpertApplication.categories.through.objects.filter(category_id__in=matching).values(
                "expertapplication_id"
            )
        )
    if filters.older_than_days:
        queryset = queryset.filter(submitted_at__lte=now - timedelta(days=filters.older_than_days))
    if filters.reviewer == "me":
        queryset = queryset.filter(reviewer_id=viewer_id)
    elif filters.reviewer == "none":
        queryset = queryset.filter(reviewer__isnull=True)
    elif filters.reviewer.isdigit():
        queryset = queryset.filter(reviewer_id=int(filters.reviewer))
    return queryset


def application_queue(
    *, filters: QueueFilters, viewer_id: int, page_number: Any, notices: list[str] | None = None
) -> Page:
    """One page of the queue with applicant, reviewer, categories and document count: four queries
    (count, rows, categories, and nothing more however many applications there are)."""
    now = timezone.now()
    queryset = (
        _filtered(filters, viewer_id=viewer_id, now=now)
        .select_related("user", "reviewer")
        # The long answers stay in the database; a correlated count avoids grouping the page's rows.
        .defer("bio", "links", "skills", "offer", "decision_message", "photo")
        .annotate(document_count=Coalesce(Subquery(_document_counts, output_field=IntegerField()), 0))
        .prefetch_related(Prefetch("categories", queryset=Category.objects.select_related("parent")))
        .order_by(*ORDERINGS.get(filters.order, ORDERINGS["waiting"]))
    )
    paginator = Paginator(queryset, PER_PAGE)
    number = parse_page_number(page_number, notices if notices is not None else [])
    page = paginator.get_page(number)
    for application in page.object_list:
        application.waiting = now - application.submitted_at if application.submitted_at else None
    return page


def application_for_review(*, pk: int) -> ExpertApplication | None:
    """Everything the review screen shows, in six queries: the application with its people,
    documents, history, categories and languages."""
    return (
        ExpertApplication.objects.exclude(status=Status.DRAFT)
        .select_related("user", "reviewer", "decided_by")
        .prefetch_related(
            Prefetch("documents", queryset=ApplicationDocument.objects.select_related("checked_by")),
            Prefetch("events", queryset=ApplicationEvent.objects.select_related("actor").order_by("created_at", "pk")),
            Prefetch("categories", queryset=Category.objects.select_related("parent")),
            "languages",
        )
        .filter(pk=pk)
        .first()
    )


def review_reviewers() -> list[tuple[int, str]]:
    """Who holds applications now (for the reviewer filter): one query."""
    rows = (
        ExpertApplication.objects.filter(reviewer__isnull=False)
        .values_list("reviewer_id", "reviewer__full_name", "reviewer__email")
        .distinct()
        .order_by("reviewer__full_name")
    )
    return [(pk, name or email) for pk, name, email in rows]
