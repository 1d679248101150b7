"""Reads for the learner's screens, each with a fixed number of queries however many rows there are."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q
from django.urls import reverse

from bookings.models import Booking, SessionNote, SessionResource
from core.money import Money
from core.pagination import page_number
from marketplace.models import Category, ExpertPage
from reviews.selectors import learner_ratings_given

from .levels import Level
from .models import ONBOARDING_STEPS, Goal, LearnerProfile, LearningLink, Milestone, SkillLevel

HISTORY_PER_PAGE = 20
PROGRESS_MONTHS = 12
# Sessions that happened: they count as learning time and are listed in the history.
HAPPENED = (Booking.Status.COMPLETED,)
PAST_STATES = (Booking.Status.COMPLETED, Booking.Status.NO_SHOW_LEARNER, Booking.Status.NO_SHOW_EXPERT)


# --- Onboarding ---------------------------------------------------------------------------------


def onboarding_redirect(user) -> str | None:
    """``/onboarding/`` for a learner who has neither finished nor skipped it; None for anyone else.

    Experts and staff have their own homes; a learner is asked once, then never again after
    finishing or skipping (one query, at sign-in and after verifying an address).
    """
    if not getattr(user, "is_authenticated", False) or user.is_staff or user.is_expert:
        return None
    finished = LearnerProfile.objects.filter(user=user, onboarding_finished_at__isnull=False).values_list("pk").exists()
    return None if finished else reverse("onboarding")


def learner_profile_of(*, user) -> LearnerProfile | None:
    return (
        LearnerProfile.objects.filter(user=user)
        .prefetch_related(Prefetch("interests", queryset=Category.objects.order_by("sort_order", "name")), "languages")
        .first()
    )


def onboarding_next_step(*, profile: LearnerProfile | None, after: str | None = None) -> str | None:
    """The next step not yet saved or skipped (after ``after`` first, then from the start), or None."""
    done = set(profile.steps_done if profile else [])
    start = ONBOARDING_STEPS.index(after) + 1 if after in ONBOARDING_STEPS else 0
    order = ONBOARDING_STEPS[start:] + ONBOARDING_STEPS[:start]
    return next((step for step in order if step not in done), None)


def interest_choices() -> list[tuple[Category, list[Category]]]:
    """The two-level category tree, top categories with their subcategories (one query)."""
    categories = list(Category.objects.order_by("sort_order", "name"))
    children: dict[int, list[Category]] = defaultdict(list)
    for category in categories:
        if category.parent_id:
            children[category.parent_id].append(category)
    return [(category, children[category.pk]) for category in categories if not category.parent_id]


# --- Goals and levels ---------------------------------------------------------------------------


def learner_goals(*, learner):
    """The learner's goals with their milestones (declined suggestions left out): two queries."""
    milestones = Milestone.objects.exclude(state=Milestone.State.DECLINED).select_related("suggested_by")
    return list(
        Goal.objects.filter(learner=learner)
        .select_related("category")
        .prefetch_related(Prefetch("milestones", queryset=milestones.order_by("pk")))
        .annotate(session_count=Count("links"))
        .order_by("status", "target_date", "pk")
    )


def current_levels(*, learner) -> dict[int, int]:
    """Category id → the newest self-assessed level (one query)."""
    latest: dict[int, int] = {}
    for category_id, level in (
        SkillLevel.objects.filter(learner=learner).order_by("assessed_at", "pk").values_list("category_id", "level")
    ):
        latest[category_id] = level
    return latest


def learner_active_goal_choices(*, learner):
    return Goal.objects.filter(learner=learner, status=Goal.Status.ACTIVE).order_by("pk")


def booking_goal_link(*, booking) -> LearningLink | None:
    return LearningLink.objects.filter(booking=booking).select_related("goal").first()


def booking_goal_for_expert(*, booking, expert) -> Goal | None:
    """The goal a session serves, for that session's expert only (with its milestones)."""
    if booking.expert_id != expert.pk:
        return None
    link = (
        LearningLink.objects.filter(booking=booking)
        .select_related("goal")
        .prefetch_related(
            Prefetch(
                "goal__milestones",
                queryset=Milestone.objects.exclude(state=Milestone.State.DECLINED).order_by("pk"),
            )
        )
        .first()
    )
    return link.goal if link else None


# --- Progress -----------------------------------------------------------------------------------


@dataclass
class Progress:
    zone: str
    completed_count: int = 0
    upcoming_count: int = 0
    total_minutes: int = 0
    months: list[tuple[str, float]] = field(default_factory=list)  # (label "2026-03", hours)
    by_category: list[tuple[str, float]] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    levels: list[dict[str, Any]] = field(default_factory=list)  # per category: name, history [(date, level)]
    level_months: list[str] = field(default_factory=list)
    current_streak: int = 0
    longest_streak: int = 0
    weeks_with_sessions: int = 0
    ratings: list[dict[str, Any]] = field(default_factory=list)
    upcoming: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total_hours(self) -> float:
        return round(self.total_minutes / 60, 1)

    @property
    def is_empty(self) -> bool:
        return not (self.completed_count or self.upcoming_count or self.goals or self.levels)


def _month_labels(end: date, count: int) -> list[str]:
    year, month = end.year, end.month
    labels = []
    for _ in range(count):
        labels.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(labels))


def _streaks(weeks: set[tuple[int, int]], today: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive ISO weeks with a session; the current run may end last week."""
    if not weeks:
        return 0, 0
    mondays = sorted(date.fromisocalendar(year, week, 1) for year, week in weeks)
    longest = run = 1
    for previous, monday in zip(mondays, mondays[1:], strict=False):
        run = run + 1 if monday - previous == timedelta(weeks=1) else 1
        longest = max(longest, run)
    this_monday = today - timedelta(days=today.weekday())
    current = 0
    cursor = this_monday if this_monday in set(mondays) else this_monday - timedelta(weeks=1)
    present = set(mondays)
    while cursor in present:
        current += 1
        cursor -= timedelta(weeks=1)
    return current, longest


def expert_primary_categories(expert_ids) -> dict[int, str]:
    """Expert user id → the name of the first category of their first live page (one query)."""
    rows = (
        ExpertPage.categories.through.objects.filter(
            expertpage__profile__user_id__in=list(expert_ids), expertpage__live=True
        )
        .order_by("expertpage_id", "category__sort_order", "category__name")
        .values_list("expertpage__profile__user_id", "category__name")
    )
    found: dict[int, str] = {}
    for user_id, name in rows:
        found.setdefault(user_id, name)
    return found


def learner_progress(*, learner, now: datetime) -> Progress:
    """Everything the progress dashboard shows, in the learner's zone: seven queries whatever the history."""
    zone = learner.time_zone or "UTC"
    tz = ZoneInfo(zone)
    progress = Progress(zone=zone)
    sessions = list(
        Booking.objects.filter(learner=learner)
        .filter(Q(status__in=HAPPENED) | Q(status=Booking.Status.CONFIRMED, end__gt=now))
        .values("pk", "start", "end", "status", "expert_id", "expert__full_name")
        .order_by("start")
    )
    categories = expert_primary_categories({row["expert_id"] for row in sessions})
    labels = _month_labels(now.astimezone(tz).date(), PROGRESS_MONTHS)
    minutes_by_month: dict[str, int] = dict.fromkeys(labels, 0)
    minutes_by_category: dict[str, int] = defaultdict(int)
    weeks: set[tuple[int, int]] = set()
    for row in sessions:
        if row["status"] == Booking.Status.CONFIRMED:
            progress.upcoming_count += 1
            if len(progress.upcoming) < 5:
                progress.upcoming.append(row)
            continue
        minutes = int((row["end"] - row["start"]).total_seconds() // 60)
        local = row["start"].astimezone(tz)
        progress.completed_count += 1
        progress.total_minutes += minutes
        label = f"{local.year:04d}-{local.month:02d}"
        if label in minutes_by_month:
            minutes_by_month[label] += minutes
        minutes_by_category[categories.get(row["expert_id"], "")] += minutes
        iso = local.isocalendar()
        weeks.add((iso[0], iso[1]))
    progress.months = [(label, round(minutes / 60, 2)) for label, minutes in minutes_by_month.items()]
    progress.by_category = sorted(
        ((name, round(minutes / 60, 2)) for name, minutes in minutes_by_category.items()), key=lambda item: -item[1]
    )
    progress.weeks_with_sessions = len(weeks)
    progress.current_streak, progress.longest_streak = _streaks(weeks, now.astimezone(tz).date())
    progress.goals = list(
        Goal.objects.filter(learner=learner)
        .annotate(
            milestones_total=Count("milestones", filter=Q(milestones__state=Milestone.State.ACCEPTED), distinct=True),
            milestones_done=Count(
                "milestones",
                filter=Q(milestones__state=Milestone.State.ACCEPTED, milestones__done_at__isnull=False),
                distinct=True,
            ),
            session_count=Count("links", distinct=True),
        )
        .order_by("status", "target_date", "pk")
    )
    history: dict[int, dict[str, Any]] = {}
    for level in SkillLevel.objects.filter(learner=learner).select_related("category").order_by("assessed_at", "pk"):
        entry = history.setdefault(level.category_id, {"name": level.category.name, "history": []})
        entry["history"].append((level.assessed_at.astimezone(tz).date(), level.level))
    for entry in history.values():
        entry["current"] = entry["history"][-1][1]
        entry["current_label"] = Level(entry["current"]).label
    progress.levels = list(history.values())
    ratings = learner_ratings_given(learner=learner)
    names = {row["pk"]: row["expert__full_name"] for row in sessions}
    progress.ratings = [
        {
            "booking_id": booking_id,
            "rating": row["rating"],
            "expert": names.get(booking_id, ""),
            "date": row["created_at"],
        }
        for booking_id, row in ratings.items()
    ]
    return progress


# --- Session history ----------------------------------------------------------------------------


@dataclass
class HistoryRow:
    booking: Booking
    price: Money
    rating: int | None
    shared_notes: list[str]
    resource_count: int
    goal: Goal | None
    book_again_url: str


def learner_session_history(*, learner, now: datetime, query: str = "", raw_page: Any = None) -> Page:
    """A page of the learner's past sessions, newest first, searchable by expert name and goal.

    Six queries a page whatever the history: the count, the page (with expert and goal), the
    ratings, the shared notes, the resource counts and the experts' live pages.
    """
    sessions = (
        Booking.objects.filter(learner=learner, status__in=PAST_STATES, start__lt=now)
        .select_related("expert", "learning_link__goal")
        .order_by("-start", "-pk")
    )
    query = (query or "").strip()[:100]
    if query:
        sessions = sessions.filter(
            Q(expert__full_name__icontains=query) | Q(learning_link__goal__title__icontains=query)
        )
    paginator = Paginator(sessions, HISTORY_PER_PAGE)
    page = paginator.get_page(page_number(raw_page))
    bookings = list(page.object_list)
    ids = [booking.pk for booking in bookings]
    ratings = learner_ratings_given(learner=learner, booking_ids=ids) if ids else {}
    notes: dict[int, list[str]] = defaultdict(list)
    resources: dict[int, int] = {}
    pages: dict[int, str] = {}
    if ids:
        for booking_id, body in SessionNote.objects.filter(booking_id__in=ids, shared=True).values_list(
            "booking_id", "body"
        ):
            notes[booking_id].append(body)
        resources = dict(
            SessionResource.objects.filter(booking_id__in=ids)
            .values("booking_id")
            .annotate(count=Count("pk"))
            .values_list("booking_id", "count")
        )
        for user_id, url_path in (
            ExpertPage.objects.live()
            .filter(profile__user_id__in={booking.expert_id for booking in bookings})
            .order_by("-pk")
            .values_list("profile__user_id", "url_path")
        ):
            pages[user_id] = url_path
    rows = []
    for booking in bookings:
        link = getattr(booking, "learning_link", None)
        rows.append(
            HistoryRow(
                booking=booking,
                price=booking.price,
                rating=(ratings.get(booking.pk) or {}).get("rating"),
                shared_notes=notes.get(booking.pk, []),
                resource_count=resources.get(booking.pk, 0),
                goal=link.goal if link else None,
                book_again_url=_page_path(pages.get(booking.expert_id, "")),
            )
        )
    page.object_list = rows
    return page


def _page_path(url_path: str) -> str:
    """A Wagtail ``url_path`` ("/home/experts/ada/") as the site path ("/experts/ada/") under the site root."""
    if not url_path:
        return ""
    parts = url_path.strip("/").split("/", 1)
    return "/" + (parts[1] + "/" if len(parts) > 1 else "")
