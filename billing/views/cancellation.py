"""The cancel screens: the learner's (the exact refund the booking's policy gives now, then a POST that
does it) and the expert's (the learner always gets everything back)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from bookings.access import participant_booking
from bookings.errors import BookingError
from bookings.policy import (
    booking_cancellation_check,
    booking_expert_cancellation_check,
    booking_refund_quote,
    booking_refund_terms,
)
from bookings.selectors.proposals import booking_expert_asked_to_move
from core.errors import ApplicationError
from core.parsing import parse_int

from ..services.cancellation import booking_cancel_by_expert_with_refund, booking_cancel_with_refund


@never_cache
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation page with the refund (or why it cannot be cancelled). POST: refund and cancel.

    The form carries the refund it showed; the service refuses when the
    policy gives another amount by the time the POST arrives, so the learner
    never gets a refund they were not shown.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    # Only the learner: the expert and everyone else get the same 404 as for an unknown id.
    booking = participant_booking(request, pk, role="learner")
    if request.method == "POST":
        expected = parse_int(request.POST.get("refund"), minimum=0, maximum=booking.amount_minor)
        if expected is None:
            messages.error(request, _("Something was missing from the form. Please try again."))
            return redirect("booking_cancel", pk=booking.pk)
        try:
            cancelled = booking_cancel_with_refund(booking=booking, by=request.user, expected_refund_minor=expected)
        except BookingError as refused:
            if refused.code == "refund_changed":
                messages.warning(request, refused.message)
            # Otherwise the page explains why (started, already cancelled…) with the rule's own message.
            return redirect("booking_cancel", pk=booking.pk)
        except ApplicationError as refused:
            messages.error(request, refused.message)
            return redirect("booking_cancel", pk=booking.pk)
        if cancelled.refund_is_full:
            text = _("Your session is cancelled. The full payment of %(amount)s is on its way back to your card.")
        elif cancelled.refund_minor:
            text = _("Your session is cancelled. %(refund)s of %(amount)s is on its way back to your card.")
        else:
            text = _("Your session is cancelled. Under its refund policy nothing was refunded.")
        messages.success(request, text % {"amount": booking.price.format(), "refund": cancelled.refund})
        return redirect("learner_dashboard")
    now = timezone.now()
    try:
        booking_cancellation_check(booking=booking, by=request.user, now=now)
    except BookingError as refused:
        refusal = refused.message
    else:
        refusal = ""
    return render(
        request,
        "billing/booking_cancel.html",
        {
            "booking": booking,
            "refusal": refusal,
            "quote": booking_refund_quote(
                booking=booking, now=now, expert_asked_to_move=booking_expert_asked_to_move(booking=booking)
            ),
            "terms": booking_refund_terms(booking),
            "viewer_zone": booking.learner_zone,
        },
    )


@never_cache
def booking_cancel_by_expert(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what cancelling does (a full refund, an apology, a count staff see). POST: refund and cancel."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    # Only the expert: the learner and everyone else get the same 404 as for an unknown id.
    booking = participant_booking(request, pk, role="expert")
    if request.method == "POST":
        try:
            booking_cancel_by_expert_with_refund(booking=booking, by=request.user)
        except BookingError as refused:
            if refused.code not in ("already_cancelled", "started", "not_confirmed"):
                messages.warning(request, refused.message)
            return redirect("booking_cancel_by_expert", pk=booking.pk)
        except ApplicationError as refused:
            messages.error(request, refused.message)
            return redirect("booking_cancel_by_expert", pk=booking.pk)
        messages.success(
            request,
            _("The session is cancelled. %(learner)s gets the full %(amount)s back and has been sent your free times.")
            % {"learner": booking.learner.full_name, "amount": booking.price.format()},
        )
        return redirect("expert_dashboard")
    try:
        booking_expert_cancellation_check(booking=booking, by=request.user, now=timezone.now())
    except BookingError as refused:
        refusal = refused.message
    else:
        refusal = ""
    return render(
        request,
        "billing/booking_cancel_by_expert.html",
        {"booking": booking, "refusal": refusal, "viewer_zone": booking.expert_zone},
    )
