"""Booking flow interfaces: hold a listed free time, show a booking, join its room, hold it again.

Reviewing and paying for the hold is billing's screen (``billing.views.checkout``),
and so is cancelling with a refund (``billing.views.cancellation``): bookings
never imports billing.

The price is never read from the browser: ``booking_hold`` takes it from the
expert's session type under its lock, and rechecks the slot with the same
engine that listed it.
"""

from __future__ import annotations

from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.parsing import parse_instant, parse_int
from marketplace.models import ExpertPage, SessionType

from ..access import participant_booking
from ..errors import BookingError
from ..models import Booking
from ..policy import (
    booking_is_cancellable,
    booking_is_cancellable_by_expert,
    booking_is_reschedulable,
    booking_move_proposal_check,
)
from ..selectors.proposals import open_move_proposal
from ..selectors.session_tools import session_tools_context
from ..services import booking_hold, booking_hold_again
from ..services.attendance import attendance_join_record
from ..services.video_rooms import video_join_url

# A session type lasts at most a day (``Booking.MAX_LENGTH``); a longer "session" is never offered.
MAX_SESSION_MINUTES = int(Booking.MAX_LENGTH.total_seconds() // 60)


def _picker_url(page: ExpertPage, request: HttpRequest) -> str:
    """The expert page with the learner's picker choice (session, tz, week) kept."""
    query = {key: request.POST[key][:64] for key in ("session", "tz", "week") if request.POST.get(key)}
    return page.url + (f"?{urlencode(query)}" if query else "") + "#times"


@require_POST
def booking_start(request: HttpRequest, page_id: int) -> HttpResponse:
    """Hold the chosen free time and go on to review and pay; any refusal goes back to the free times."""
    # Bounded before it reaches the query: a number past PostgreSQL's integer is an error, not "not offered".
    minutes = parse_int(request.POST.get("session"), minimum=1, maximum=MAX_SESSION_MINUTES)
    # The session type of this live page's expert, with its profile, in one query.
    session_type = (
        SessionType.objects.select_related("profile")
        .filter(profile__pages__pk=page_id, profile__pages__live=True, duration_minutes=minutes)
        .first()
        if minutes is not None and request.user.is_authenticated
        else None
    )
    if session_type is None or not request.user.is_authenticated:
        page = get_object_or_404(ExpertPage.objects.live(), pk=page_id)
        if not request.user.is_authenticated:
            # Nothing is held for anonymous visitors: they come back to the same choice after signing in.
            return redirect_to_login(_picker_url(page, request))
        messages.error(request, _("This session is not offered. Please choose another one."))
        return redirect(_picker_url(page, request))
    start = parse_instant(request.POST.get("start"))
    try:
        if start is None:
            raise BookingError(_("Please choose a valid time."), code="invalid")
        booking = booking_hold(learner=request.user, session_type=session_type, start=start)
    except ApplicationError as refused:
        messages.error(request, refused.message)
        return redirect(_picker_url(get_object_or_404(ExpertPage.objects.live(), pk=page_id), request))
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
    booking = participant_booking(request, pk, role="learner")
    if booking.status == Booking.Status.CONFIRMED:
        return redirect("booking_detail", pk=booking.pk)
    profile = getattr(booking.expert, "expert_profile", None)
    page = profile.pages.live().first() if profile else None
    back = (page.url + "#times") if page else "/"
    try:
        new = booking_hold_again(booking=booking)
    except ApplicationError as refused:
        if refused.code == "not_expired":
            return redirect("booking_review", pk=booking.pk)
        messages.error(request, refused.message)
        return redirect(back)
    messages.success(request, _("The time is held for you again."))
    return redirect("booking_review", pk=new.pk)


def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A booking, for its learner or its expert: the time in the viewer's zone, Join and Cancel when allowed."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    booking = participant_booking(request, pk)
    if booking.status == Booking.Status.HELD and booking.learner_id == request.user.pk:
        return redirect("booking_review", pk=booking.pk)
    if booking.status in (Booking.Status.HELD, Booking.Status.EXPIRED):
        # Never paid: there is no session to show.
        raise Http404
    is_learner = request.user.pk == booking.learner_id
    now = timezone.now()
    return render(
        request,
        "bookings/booking_detail.html",
        {
            "booking": booking,
            "other": booking.expert if is_learner else booking.learner,
            "viewer_zone": booking.zone_of(request.user),
            "other_zone": booking.expert_zone if is_learner else booking.learner_zone,
            "duration_minutes": booking.duration_minutes,
            "joinable": booking.is_joinable(now),
            "join_early_minutes": settings.BOOKING_JOIN_EARLY_MINUTES,
            "upcoming": booking.is_upcoming(now),
            "cancellable": booking_is_cancellable(booking=booking, by=request.user, now=now),
            "reschedulable": booking_is_reschedulable(booking=booking, by=request.user, now=now),
            "can_propose": _may(booking_move_proposal_check, booking=booking, by=request.user, now=now),
            "open_proposal": open_move_proposal(booking=booking)
            if booking.status == Booking.Status.CONFIRMED
            else None,
            "expert_cancellable": booking_is_cancellable_by_expert(booking=booking, by=request.user, now=now),
            **session_tools_context(booking=booking, viewer=request.user, now=now),
        },
    )


def booking_join(request: HttpRequest, pk: int) -> HttpResponse:
    """The only way to the video room: a redirect for the two participants of a confirmed session,
    from ``BOOKING_JOIN_EARLY_MINUTES`` before the start until the end, to their own join link
    (``bookings.services.video_rooms.video_join_url``), each pass logged in the attendance log. Outside that
    window the booking page says when the room opens."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    booking = participant_booking(request, pk)
    if booking.status != Booking.Status.CONFIRMED or not booking.video_url:
        raise Http404
    now = timezone.now()
    if booking.is_joinable(now):
        attendance_join_record(booking=booking, user=request.user, now=now)
        # Each participant's own link on the booking's provider: with Jitsi token auth, a JWT for this
        # room until the session ends, the expert as moderator and the learner in the lobby; on Zoom,
        # the expert's host link. Never cached or shown anywhere else.
        response = redirect(video_join_url(booking=booking, user=request.user))
        add_never_cache_headers(response)
        return response
    zone = ZoneInfo(booking.zone_of(request.user))
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


def _may(check, **kwargs) -> bool:
    try:
        check(**kwargs)
    except BookingError:
        return False
    return True
