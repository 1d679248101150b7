"""Reads for the expert's learning screens (students, insights), each in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q

from bookings.models import Booking
from core.pagination import page_number
from reviews.selectors import expert_ratings_given_to

from .models import Goal, Milestone, ProfileViewDay
from .selectors import HISTORY_PER_PAGE, PAST_STATES, PROGRESS_MONTHS, _month_labels

# --- The expert's students ----------------------------------------------------------------------


def expert_students(*, expert, now: datetime, raw_page: Any = None) -> Page:
    """Every learner the expert has taught or will teach: sessions done and next, and the goals linked
    to their sessions with this expert (and nothing else of the learner's). Four queries a page."""
    taught = (
        Booking.objects.filter(expert=expert)
        .filter(Q(status__in=PAST_STATES) | Q(status=Booking.Status.CONFIRMED))
        .values("learner_id", "learner__full_name", "learner__email")
        .annotate(
            done=Count("pk", filter=Q(status=Booking.Status.COMPLETED)),
            upcoming=Count("pk", filter=Q(status=Booking.Status.CONFIRMED, end__gt=now)),
        )
        .order_by("learner__full_name", "learner_id")
    )
    page = Paginator(taught, HISTORY_PER_PAGE).get_page(page_number(raw_page))
    rows = list(page.object_list)
    learner_ids = [row["learner_id"] for row in rows]
    goals: dict[int, list[Goal]] = defaultdict(list)
    next_start: dict[int, datetime] = {}
    if learner_ids:
        for booking in (
            Booking.objects.filter(
                expert=expert, learner_id__in=learner_ids, status=Booking.Status.CONFIRMED, end__gt=now
            )
            .order_by("start")
            .values("learner_id", "start", "pk")
        ):
            next_start.setdefault(booking["learner_id"], booking)
        seen: set[int] = set()
        linked = (
            Goal.objects.filter(links__booking__expert=expert, learner_id__in=learner_ids)
            .prefetch_related(
                Prefetch(
                    "milestones", queryset=Milestone.objects.exclude(state=Milestone.State.DECLINED).order_by("pk")
                )
            )
            .order_by("pk")
        )
        for goal in linked:
            if goal.pk not in seen:
                seen.add(goal.pk)
                goals[goal.learner_id].append(goal)
    for row in rows:
        row["goals"] = goals.get(row["learner_id"], [])
        row["next"] = next_start.get(row["learner_id"])
    page.object_list = rows
    return page


# --- The expert's insights ----------------------------------------------------------------------


@dataclass
class Insights:
    zone: str
    months: list[str] = field(default_factory=list)
    sessions_by_month: list[int] = field(default_factory=list)
    rating_by_month: list[float | None] = field(default_factory=list)
    total: int = 0
    completed: int = 0
    cancelled: int = 0
    no_shows: int = 0
    learners: int = 0
    returning_learners: int = 0
    views_by_month: list[int] = field(default_factory=list)
    booked_by_month: list[int] = field(default_factory=list)  # by the month the booking was made

    @property
    def views(self) -> int:
        return sum(self.views_by_month)

    @property
    def view_to_booking_rate(self) -> float:
        """Bookings made per 100 profile views over the 12 months (views are counted from the beacon)."""
        return round(100 * sum(self.booked_by_month) / self.views, 1) if self.views else 0.0

    @property
    def funnel_rows(self) -> list[tuple[str, int, int]]:
        return list(zip(self.months, self.views_by_month, self.booked_by_month, strict=True))

    def _rate(self, part: int) -> float:
        return round(100 * part / self.total, 1) if self.total else 0.0

    @property
    def completion_rate(self) -> float:
        return self._rate(self.completed)

    @property
    def cancellation_rate(self) -> float:
        return self._rate(self.cancelled)

    @property
    def no_show_rate(self) -> float:
        return self._rate(self.no_shows)

    @property
    def rebooking_rate(self) -> float:
        return round(100 * self.returning_learners / self.learners, 1) if self.learners else 0.0

    @property
    def rows(self) -> list[tuple[str, int, float | None]]:
        return list(zip(self.months, self.sessions_by_month, self.rating_by_month, strict=True))


CANCELLED = (Booking.Status.CANCELLED_BY_LEARNER, Booking.Status.CANCELLED_BY_EXPERT, Booking.Status.CANCELLED_REFUNDED)
NO_SHOWS = (Booking.Status.NO_SHOW_LEARNER, Booking.Status.NO_SHOW_EXPERT)


def expert_insights(*, expert, zone: str, now: datetime) -> Insights:
    """Sessions per month, completion, cancellation, no-show and rebooking rates, the rating trend,
    and profile views to bookings over the last 12 months in the expert's zone: three queries
    however many sessions and days."""
    tz = ZoneInfo(zone)
    insights = Insights(zone=zone, months=_month_labels(now.astimezone(tz).date(), PROGRESS_MONTHS))
    per_month = dict.fromkeys(insights.months, 0)
    booked = dict.fromkeys(insights.months, 0)
    per_learner: dict[int, int] = defaultdict(int)
    for start, status, learner_id, created_at in (
        Booking.objects.filter(expert=expert)
        .exclude(status__in=[Booking.Status.HELD, Booking.Status.EXPIRED])
        .values_list("start", "status", "learner_id", "created_at")
    ):
        insights.total += 1
        made = created_at.astimezone(tz)
        made_label = f"{made.year:04d}-{made.month:02d}"
        if made_label in booked:
            booked[made_label] += 1
        if status == Booking.Status.COMPLETED:
            insights.completed += 1
            per_learner[learner_id] += 1
        elif status in CANCELLED:
            insights.cancelled += 1
        elif status in NO_SHOWS:
            insights.no_shows += 1
        local = start.astimezone(tz)
        label = f"{local.year:04d}-{local.month:02d}"
        if label in per_month and status != Booking.Status.CONFIRMED:
            per_month[label] += 1
    insights.sessions_by_month = list(per_month.values())
    insights.booked_by_month = list(booked.values())
    views = dict.fromkeys(insights.months, 0)
    for day, count in ProfileViewDay.objects.filter(profile__user=expert).values_list("day", "views"):
        label = f"{day.year:04d}-{day.month:02d}"  # days are UTC days
        if label in views:
            views[label] += count
    insights.views_by_month = list(views.values())
    insights.learners = len(per_learner)
    insights.returning_learners = sum(1 for count in per_learner.values() if count > 1)
    ratings: dict[str, list[int]] = defaultdict(list)
    for created_at, rating in expert_ratings_given_to(expert=expert):
        local = created_at.astimezone(tz)
        ratings[f"{local.year:04d}-{local.month:02d}"].append(rating)
    insights.rating_by_month = [
        round(sum(ratings[label]) / len(ratings[label]), 2) if ratings.get(label) else None for label in insights.months
    ]
    return insights
