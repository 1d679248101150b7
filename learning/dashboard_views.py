"""The learner's progress and history, and the expert's students and insights: read-only screens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bookings.access import participant_booking
from bookings.models import Booking
from core.charts import bar_chart, line_chart
from core.errors import ApplicationError
from marketplace.access import expert_required

from .expert_selectors import expert_insights, expert_students
from .forms import (
    BookingGoalForm,
    MilestoneForm,
)
from .recommendations import expert_recommendations
from .selectors import (
    booking_goal_for_expert,
    learner_profile_of,
    learner_progress,
    learner_session_history,
)
from .services import (
    learning_link_set,
    milestone_suggest,
)
from .views import _safe_next, _too_many

# --- Sessions and goals -------------------------------------------------------------------------


@require_POST
@login_required
def booking_goal(request: HttpRequest, pk: int) -> HttpResponse:
    """Link the learner's own booking to one of their active goals (or to none)."""
    booking = participant_booking(request, pk, role="learner")
    if limited := _too_many(request):
        return limited
    form = BookingGoalForm(request.POST, learner=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose one of your active goals."))
    else:
        learning_link_set(booking=booking, learner=request.user, goal=form.cleaned_data["goal"])
        messages.success(request, _("Saved which goal this session serves."))
    default = f"/bookings/{booking.pk}/review/" if booking.status == Booking.Status.HELD else f"/bookings/{booking.pk}/"
    return redirect(_safe_next(request, default))


@login_required
@require_http_methods(["GET", "POST"])
def booking_milestone_suggest(request: HttpRequest, pk: int) -> HttpResponse:
    """The session's expert sees the goal it serves and suggests milestones for it."""
    booking = participant_booking(request, pk, role="expert")
    goal = booking_goal_for_expert(booking=booking, expert=request.user)
    form = MilestoneForm()
    status = 200
    if request.method == "POST":
        if limited := _too_many(request):
            return limited
        form = MilestoneForm(request.POST)
        if form.is_valid():
            try:
                milestone_suggest(booking=booking, expert=request.user, title=form.cleaned_data["title"])
            except ApplicationError as refused:
                form.add_error(None, refused.message)
                status = 400
            else:
                messages.success(request, _("Suggestion sent: the learner accepts or declines it."))
                return redirect("booking_milestone_suggest", pk=booking.pk)
        else:
            status = 400
    return render(
        request, "learning/milestone_suggest.html", {"booking": booking, "goal": goal, "form": form}, status=status
    )


# --- Progress and history -----------------------------------------------------------------------


def _hours(value: float) -> str:
    return f"{value:g} h"


@login_required
def progress_page(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    progress = learner_progress(learner=request.user, now=now)
    charts = {}
    if progress.completed_count:
        charts["months"] = bar_chart(
            title=_("Hours learned by month"),
            labels=[label for label, _hours_ in progress.months],
            series={_("Hours"): [hours for _label, hours in progress.months]},
            alt=_("Bar chart of hours learned in each of the last 12 months; the table below has the figures."),
            formatter=_hours,
        )
        charts["categories"] = bar_chart(
            title=_("Hours learned by topic"),
            labels=[name or _("Other") for name, _hours_ in progress.by_category],
            series={_("Hours"): [hours for _name, hours in progress.by_category]},
            alt=_("Bar chart of hours learned per topic; the table below has the figures."),
            formatter=_hours,
        )
    if progress.levels:
        dates = sorted({day for entry in progress.levels for day, _level in entry["history"]})
        series = {}
        for entry in progress.levels:
            by_day = dict(entry["history"])
            values, last = [], None
            for day in dates:
                last = by_day.get(day, last)
                values.append(last)
            series[entry["name"]] = values
        charts["levels"] = line_chart(
            title=_("Skill levels over time (1 beginner – 4 expert)"),
            labels=[day.isoformat() for day in dates],
            series=series,
            alt=_("Line chart of your self-assessed level per skill over time; the table below has the figures."),
        )
    profile = learner_profile_of(user=request.user)
    return render(
        request,
        "learning/progress.html",
        {
            "progress": progress,
            "charts": charts,
            "has_onboarding": profile is not None,
            "recommendations": expert_recommendations(user=request.user, profile=profile),
        },
    )


@login_required
def history_page(request: HttpRequest) -> HttpResponse:
    # Printable characters only: PostgreSQL refuses a NUL byte even in a comparison.
    query = " ".join("".join(ch for ch in request.GET.get("q", "") if ch.isprintable()).split())[:100]
    page = learner_session_history(
        learner=request.user, now=timezone.now(), query=query, raw_page=request.GET.get("page")
    )
    return render(
        request,
        "learning/history.html",
        {"page_obj": page, "rows": page.object_list, "query": query, "zone": request.user.time_zone or "UTC"},
    )


@expert_required
def students_page(request: HttpRequest) -> HttpResponse:
    page = expert_students(expert=request.user, now=timezone.now(), raw_page=request.GET.get("page"))
    return render(request, "learning/students.html", {"page_obj": page, "rows": page.object_list})


@expert_required
def insights_page(request: HttpRequest) -> HttpResponse:
    profile = getattr(request.user, "expert_profile", None)
    zone = (profile.time_zone if profile else "") or request.user.time_zone or "UTC"
    insights = expert_insights(expert=request.user, zone=zone, now=timezone.now())
    charts = {}
    if insights.total:
        charts["sessions"] = bar_chart(
            title=_("Sessions per month"),
            labels=insights.months,
            series={_("Sessions"): insights.sessions_by_month},
            alt=_("Bar chart of your sessions in each of the last 12 months; the table below has the figures."),
        )
    if any(value is not None for value in insights.rating_by_month):
        charts["ratings"] = line_chart(
            title=_("Average rating per month"),
            labels=insights.months,
            series={_("Rating"): insights.rating_by_month},
            alt=_("Line chart of your average rating per month; the table below has the figures."),
        )
    return render(request, "learning/insights.html", {"insights": insights, "charts": charts})
