"""The learner's reschedule screen: the expert's free times for the same length; pressing one moves the session."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.errors import ApplicationError
from core.parsing import parse_instant, parse_int
from marketplace.models import ExpertProfile, SessionType

from ..access import participant_booking
from ..errors import BookingError
from ..policy import booking_reschedule_check
from ..selectors.slots import expert_slot_listing
from ..services import booking_reschedule

MAX_WEEK = 52


@never_cache
def booking_reschedule_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: one week of the expert's free times (``?week=``) for this session's length, in the learner's zone,
    or why it cannot be moved. POST ``start``: move it there (rechecked under the locks) and show the booking."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    booking = participant_booking(request, pk, role="learner")
    now = timezone.now()
    if request.method == "POST":
        start = parse_instant(request.POST.get("start"))
        week = parse_int(request.POST.get("week"), minimum=0, maximum=MAX_WEEK) or 0
        if start is None:
            messages.error(request, _("Please choose a valid time."))
            return redirect(f"{request.path}?week={week}")
        try:
            moved = booking_reschedule(booking=booking, by=request.user, start=start, now=now)
        except ApplicationError as refused:
            messages.error(request, refused.message)
            return redirect(f"{request.path}?week={week}")
        zone = booking.learner_zone
        when = date_format(timezone.localtime(moved.start, ZoneInfo(zone)), "DATETIME_FORMAT")
        messages.success(
            request,
            _("Your session is moved to %(when)s (%(zone)s). You both get an updated invitation.")
            % {"when": when, "zone": zone},
        )
        return redirect("booking_detail", pk=moved.pk)
    return move_screen(
        request,
        booking,
        check=booking_reschedule_check,
        zone=booking.learner_zone,
        template="bookings/booking_reschedule.html",
        now=now,
        max_moves_left=max(settings.BOOKING_MAX_RESCHEDULES - booking.reschedule_count, 0),
    )


def move_screen(request: HttpRequest, booking, *, check, zone: str, template: str, now, **extra) -> HttpResponse:
    """The GET of a "pick another time" screen (the learner's move, the expert's proposal): the rule
    ``check`` says why not, else one week (``?week=``) of the expert's free times in ``zone``."""
    week = parse_int(request.GET.get("week"), minimum=0, maximum=MAX_WEEK) or 0
    try:
        check(booking=booking, by=request.user, now=now)
    except BookingError as refused:
        refusal, listing = refused.message, None
    else:
        refusal, listing = "", listing_for_move(booking, week=week, now=now, zone=zone)
    context = {"booking": booking, "refusal": refusal, "listing": listing, "viewer_zone": zone}
    return render(request, template, {**context, **extra})


def listing_for_move(booking, *, week: int, now, zone: str):
    """The week's free times of the booking's expert for its length, in ``zone``; None when the expert is
    not bookable."""
    profile: ExpertProfile | None = getattr(booking.expert, "expert_profile", None)
    if profile is None or profile.status != ExpertProfile.Status.ACTIVE:
        return None
    # Only the length matters to the engine; a removed session type still has its booking's length.
    session_type = booking.session_type or SessionType(profile=profile, duration_minutes=booking.duration_minutes)
    if session_type.duration_minutes != booking.duration_minutes:
        session_type = SessionType(profile=profile, duration_minutes=booking.duration_minutes)
    return expert_slot_listing(profile=profile, session_type=session_type, viewer_zone=zone, week=week, now=now)
