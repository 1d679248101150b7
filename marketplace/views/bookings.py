"""Booking flow interfaces: hold a listed free time, show a booking, join its room.

Reviewing and paying for the hold is billing's screen
(``billing.views.checkout``), and so is cancelling with a refund
(``billing.views.cancellation``): marketplace never imports billing.

The price is always worked out here on the server from the expert's active
session type of the requested length; nothing the browser posts about money
is read. The slot itself is rechecked by ``booking_hold`` with the same engine
that listed it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..errors import BookingError
from ..models import Booking, ExpertPage, ExpertProfile, SessionType
from ..selectors import expert_availability
from ..services import booking_hold, booking_hold_again, booking_is_cancellable


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


@require_POST
def booking_rehold(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Hold this time again" after a hold ran out or a declined payment released it.

    Only the booking's learner; anyone else gets a 404. A booking that is still
    held or already confirmed goes back to its own page. The slot is rechecked and
    priced anew exactly as a first hold is; if it is gone, the learner is sent
    to the expert's free times with the reason.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    booking = Booking.objects.select_related("learner", "expert__expert_profile").filter(pk=pk).first()
    if booking is None or booking.learner_id != request.user.pk:
        raise Http404
    if booking.status == Booking.Status.CONFIRMED:
        return redirect("booking_detail", pk=booking.pk)
    profile = getattr(booking.expert, "expert_profile", None)
    page = profile.pages.live().first() if profile else None
    back = (page.url + "#times") if page else "/"
    minutes = int((booking.end - booking.start).total_seconds() // 60)
    session_type = (
        SessionType.objects.filter(profile=profile, duration_minutes=minutes, is_active=True).first() if page else None
    )
    if session_type is None or profile.status != ExpertProfile.Status.ACTIVE:
        messages.error(request, _("This session is not offered any more. Please choose another one."))
        return redirect(back)
    try:
        new = booking_hold_again(
            booking=booking,
            availability=expert_availability(profile=profile),
            amount_minor=session_type.price_minor,
            currency=session_type.currency,
        )
    except BookingError as refused:
        if refused.code == "not_expired":
            return redirect("booking_review", pk=booking.pk)
        messages.error(request, refused.message)
        return redirect(back)
    messages.success(request, _("The time is held for you again."))
    return redirect("booking_review", pk=new.pk)


def _participant_booking(request: HttpRequest, pk: int) -> Booking:
    """The booking if the signed-in user is its learner or its expert; 404 for anyone else."""
    booking = Booking.objects.select_related("expert__expert_profile", "learner").filter(pk=pk).first()
    if booking is None or request.user.pk not in (booking.learner_id, booking.expert_id):
        raise Http404
    return booking


def _expert_zone(booking: Booking) -> str:
    profile = getattr(booking.expert, "expert_profile", None)
    return (profile.time_zone if profile else "") or booking.expert.time_zone or "UTC"


def _viewer_zone(request: HttpRequest, booking: Booking) -> str:
    if request.user.pk == booking.learner_id:
        return request.user.time_zone or "UTC"
    return _expert_zone(booking)


def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A booking, for its learner or its expert: the time in the viewer's zone, Join and Cancel when allowed."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    booking = _participant_booking(request, pk)
    if booking.status == Booking.Status.HELD and booking.learner_id == request.user.pk:
        return redirect("booking_review", pk=booking.pk)
    if booking.status in (Booking.Status.HELD, Booking.Status.EXPIRED):
        # Never paid: there is no session to show.
        raise Http404
    is_learner = request.user.pk == booking.learner_id
    expert_zone = _expert_zone(booking)
    now = timezone.now()
    return render(
        request,
        "marketplace/booking_detail.html",
        {
            "booking": booking,
            "other": booking.expert if is_learner else booking.learner,
            "viewer_zone": _viewer_zone(request, booking),
            "other_zone": expert_zone if is_learner else (booking.learner.time_zone or "UTC"),
            "duration_minutes": booking.duration_minutes,
            "joinable": booking.is_joinable(now),
            "join_early_minutes": settings.BOOKING_JOIN_EARLY_MINUTES,
            "upcoming": booking.status == Booking.Status.CONFIRMED and booking.end > now,
            "cancellable": booking_is_cancellable(booking=booking, by=request.user, now=now),
        },
    )


def booking_join(request: HttpRequest, pk: int) -> HttpResponse:
    """The only way to the video room: a redirect for the two participants of a confirmed session,
    from ``BOOKING_JOIN_EARLY_MINUTES`` before the start until the end. Outside that window the
    booking page says when the room opens."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    booking = _participant_booking(request, pk)
    if booking.status != Booking.Status.CONFIRMED or not booking.video_url:
        raise Http404
    now = timezone.now()
    if booking.is_joinable(now):
        return redirect(booking.video_url)
    zone = ZoneInfo(_viewer_zone(request, booking))
    if now < booking.join_opens_at:
        opens = booking.join_opens_at.astimezone(zone)
        messages.info(
            request,
            _("The video room opens %(minutes)d minutes before the session starts: %(when)s (%(zone)s).")
            % {
                "minutes": settings.BOOKING_JOIN_EARLY_MINUTES,
                "when": date_format(opens, "DATETIME_FORMAT"),
                "zone": zone.key,
            },
        )
    else:
        messages.info(request, _("This session has ended, so its video room is closed."))
    return redirect("booking_detail", pk=booking.pk)
