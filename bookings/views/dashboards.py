"""The dashboards: the learner's sessions at /dashboard/, the expert's home at /expert/."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from marketplace.access import expert_required
from marketplace.models import ExpertProfile
from marketplace.selectors.completeness import expert_profile_completeness
from marketplace.selectors.launch import expert_launch_checklist

from ..selectors.sessions import expert_sessions, learner_sessions, sessions_starting_soon


@login_required
def learner_dashboard(request: HttpRequest) -> HttpResponse:
    """My sessions: upcoming (with Join and Cancel when allowed) and a page of past ones.

    These are the sessions the user booked as a learner; an expert is pointed to
    the expert area for the sessions learners booked with them.
    """
    now = timezone.now()
    sessions = learner_sessions(learner=request.user, now=now, page=request.GET.get("page"))
    return render(
        request,
        "bookings/learner_dashboard.html",
        {
            **sessions,
            "starting_soon": sessions_starting_soon(user=request.user, now=now, as_expert=False),
            "is_expert": request.user.is_expert,
            "viewer_zone": request.user.time_zone or "UTC",
            "join_early_minutes": settings.BOOKING_JOIN_EARLY_MINUTES,
        },
    )


@expert_required
def expert_dashboard(request: HttpRequest) -> HttpResponse:
    profile = ExpertProfile.objects.filter(user=request.user).first()
    page = review = completeness = checklist = None
    if profile is not None:
        page = profile.pages.order_by("pk").first()
        review = page.current_workflow_state if page else None
        draft = page.get_latest_revision_as_object() if page else None
        completeness = expert_profile_completeness(profile=profile, draft=draft)
        checklist = expert_launch_checklist(profile=profile, page=page, user=request.user)
    now = timezone.now()
    sessions = expert_sessions(
        expert=request.user, now=now, upcoming_page=request.GET.get("page"), past_page=request.GET.get("past")
    )
    upcoming = sessions["upcoming"]
    return render(
        request,
        "bookings/expert_dashboard.html",
        {
            "profile": profile,
            "expert_page": page,
            "completeness": completeness,
            "launch": checklist,
            "pending_review": bool(review and review.status == review.STATUS_IN_PROGRESS),
            "changes_requested": bool(review and review.status == review.STATUS_NEEDS_CHANGES),
            "sessions": upcoming,
            "past_sessions": sessions["past"],
            # Each list pages on its own parameter; the links keep the other one.
            "upcoming_query": f"past={sessions['past'].number}",
            "past_query": f"page={upcoming.number}",
            "starting_soon": sessions_starting_soon(user=request.user, now=now, as_expert=True),
            "joinable_ids": {booking.pk for booking in upcoming.object_list if booking.is_joinable(now)},
            "expert_zone": profile.time_zone if profile else (request.user.time_zone or "UTC"),
        },
    )
