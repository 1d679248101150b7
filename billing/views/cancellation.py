"""The learner's cancel screen: what will happen (a full refund), then a POST that does it."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from marketplace.errors import BookingError
from marketplace.models import Booking
from marketplace.services import booking_cancellation_check

from ..cancellation import booking_cancel_with_refund
from ..errors import PaymentError


def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation page (or why it cannot be cancelled). POST: refund and cancel."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    booking = Booking.objects.select_related("expert__expert_profile", "learner").filter(pk=pk).first()
    # Only the learner: the expert and everyone else get the same 404 as for an unknown id.
    if booking is None or booking.learner_id != request.user.pk:
        raise Http404
    if request.method == "POST":
        try:
            booking_cancel_with_refund(booking=booking, by=request.user)
        except BookingError:
            # The page explains why (too late, already cancelled…) with the rule's own message.
            return redirect("booking_cancel", pk=booking.pk)
        except PaymentError as refused:
            messages.error(request, refused.message)
            return redirect("booking_cancel", pk=booking.pk)
        messages.success(
            request,
            _("Your session is cancelled. The full payment of %(amount)s is on its way back to your card.")
            % {"amount": booking.price.format()},
        )
        return redirect("learner_dashboard")
    try:
        booking_cancellation_check(booking=booking, by=request.user)
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
            "viewer_zone": request.user.time_zone or "UTC",
            "free_cancellation_hours": settings.BOOKING_FREE_CANCELLATION_HOURS,
        },
    )
