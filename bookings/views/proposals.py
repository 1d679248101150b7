"""The expert proposes another time for a session; the learner accepts or declines it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.errors import ApplicationError
from core.parsing import parse_instant, parse_int

from ..access import participant_booking
from ..policy import booking_move_proposal_check
from ..selectors.proposals import open_move_proposal
from ..services import booking_move_accept, booking_move_decline, booking_move_propose
from .reschedule import MAX_WEEK, move_screen

MAX_ID = 2**63 - 1


@never_cache
def booking_propose_time(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the expert's free times for this session's length (``?week=``). POST ``start``: propose it."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    booking = participant_booking(request, pk, role="expert")
    now = timezone.now()
    if request.method == "POST":
        start = parse_instant(request.POST.get("start"))
        week = parse_int(request.POST.get("week"), minimum=0, maximum=MAX_WEEK) or 0
        if start is None:
            messages.error(request, _("Please choose a valid time."))
            return redirect(f"{request.path}?week={week}")
        try:
            booking_move_propose(booking=booking, by=request.user, start=start, now=now)
        except ApplicationError as refused:
            messages.error(request, refused.message)
            return redirect(f"{request.path}?week={week}")
        messages.success(
            request,
            _("Your proposal is sent. %(learner)s is asked to accept or decline it.")
            % {"learner": booking.learner.full_name},
        )
        return redirect("booking_detail", pk=booking.pk)
    return move_screen(
        request,
        booking,
        check=booking_move_proposal_check,
        zone=booking.expert_zone,
        template="bookings/booking_propose.html",
        now=now,
        open_proposal=open_move_proposal(booking=booking),
    )


@never_cache
def booking_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the open proposal with Accept, Decline and cancel-with-a-full-refund. POST ``answer``."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    booking = participant_booking(request, pk, role="learner")
    if request.method == "POST":
        proposal_id = parse_int(request.POST.get("proposal"), minimum=1, maximum=MAX_ID)
        answer = request.POST.get("answer")
        if proposal_id is None or answer not in ("accept", "decline"):
            messages.error(request, _("Something was missing from the form. Please try again."))
            return redirect("booking_proposal", pk=booking.pk)
        try:
            if answer == "accept":
                booking_move_accept(booking=booking, by=request.user, proposal_id=proposal_id)
                messages.success(request, _("The session is moved. You both get an updated invitation."))
            else:
                booking_move_decline(booking=booking, by=request.user, proposal_id=proposal_id)
                messages.success(request, _("You keep the current time. The expert is told."))
        except ApplicationError as refused:
            messages.error(request, refused.message)
            return redirect("booking_proposal", pk=booking.pk)
        return redirect("booking_detail", pk=booking.pk)
    return render(
        request,
        "bookings/booking_proposal.html",
        {"booking": booking, "proposal": open_move_proposal(booking=booking), "viewer_zone": booking.learner_zone},
    )
