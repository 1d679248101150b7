"""Booking flow interfaces: hold a listed free time, show a confirmed booking.

Reviewing and paying for the hold is billing's screen
(``billing.views.checkout``): marketplace never imports billing.

The price is always worked out here on the server from the expert's active
session type of the requested length; nothing the browser posts about money
is read. The slot itself is rechecked by ``booking_hold`` with the same engine
that listed it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..errors import BookingError
from ..models import Booking, ExpertPage, ExpertProfile, SessionType
from ..selectors import expert_availability
from ..services import booking_hold


def _picker_url(page: ExpertPage, request: HttpRequest) -> str:
    """The expert page with the learner's picker choice (session, tz, week) kept."""
    query = {key: request.POST[key][:64] for key in ("session", "tz", "week") if request.POST.get(key)}
    return page.url + (f"?{urlencode(query)}" if query else "") + "#times"


def _parse_start(raw: str | None) -> datetime | None:
    try:
        start = datetime.fromisoformat((raw or "").strip())
    except ValueError:
        return None
    if start.tzinfo is None:
        return None
    return start.astimezone(UTC)


@require_POST
def booking_start(request: HttpRequest, page_id: int) -> HttpResponse:
    page = get_object_or_404(ExpertPage.objects.live().select_related("profile__user"), pk=page_id)
    back = _picker_url(page, request)
    if not request.user.is_authenticated:
        # Nothing is held for anonymous visitors: they come back to the same choice after signing in.
        return redirect_to_login(back)
    profile: ExpertProfile = page.profile
    start = _parse_start(request.POST.get("start"))
    try:
        minutes = int(request.POST.get("session", ""))
    except ValueError:
        minutes = None
    session_type = (
        SessionType.objects.filter(profile=profile, duration_minutes=minutes, is_active=True).first()
        if minutes is not None
        else None
    )
    if profile.status != ExpertProfile.Status.ACTIVE or session_type is None:
        messages.error(request, _("This session is not offered. Please choose another one."))
        return redirect(back)
    if start is None:
        messages.error(request, _("Please choose a valid time."))
        return redirect(back)
    try:
        booking = booking_hold(
            learner=request.user,
            expert=profile.user,
            start=start,
            duration=timedelta(minutes=session_type.duration_minutes),
            availability=expert_availability(profile=profile),
            amount_minor=session_type.price_minor,
            currency=session_type.currency,
        )
    except BookingError as refused:
        messages.error(request, refused.message)
        return redirect(back)
    return redirect("booking_review", pk=booking.pk)


def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmed booking, for its learner or its expert: the time in the viewer's zone and the video link."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    booking = Booking.objects.select_related("expert__expert_profile", "learner").filter(pk=pk).first()
    if booking is None or request.user.pk not in (booking.learner_id, booking.expert_id):
        raise Http404
    if booking.status == Booking.Status.HELD and booking.learner_id == request.user.pk:
        return redirect("booking_review", pk=booking.pk)
    if booking.status != Booking.Status.CONFIRMED:
        raise Http404
    is_learner = request.user.pk == booking.learner_id
    expert_zone = booking.expert.expert_profile.time_zone
    viewer_zone = (request.user.time_zone or "UTC") if is_learner else expert_zone
    other_zone = expert_zone if is_learner else (booking.learner.time_zone or "UTC")
    return render(
        request,
        "marketplace/booking_detail.html",
        {
            "booking": booking,
            "other": booking.expert if is_learner else booking.learner,
            "viewer_zone": viewer_zone,
            "other_zone": other_zone,
            "duration_minutes": int((booking.end - booking.start).total_seconds() // 60),
        },
    )
