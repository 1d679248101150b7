from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ..selectors import learner_sessions


@login_required
def learner_dashboard(request: HttpRequest) -> HttpResponse:
    """My sessions: upcoming (with Join and Cancel when allowed) and a page of past ones."""
    sessions = learner_sessions(learner=request.user, now=timezone.now(), page=request.GET.get("page"))
    return render(
        request,
        "marketplace/learner_dashboard.html",
        {
            **sessions,
            "viewer_zone": request.user.time_zone or "UTC",
            "free_cancellation_hours": settings.BOOKING_FREE_CANCELLATION_HOURS,
            "join_early_minutes": settings.BOOKING_JOIN_EARLY_MINUTES,
        },
    )
