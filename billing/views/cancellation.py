"""The learner's cancel screen: what will happen (a full refund), then a POST that does it."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from bookings.access import participant_booking
from bookings.errors import BookingError
from bookings.policy import booking_cancellation_check
from core.errors import ApplicationError

from ..services.cancellation import booking_cancel_with_refund


@never_cache
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation page (or why it cannot be cancelled). POST: refund and cancel."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    # Only the learner: the expert and everyone else get the same 404 as for an unknown id.
    booking = participant_booking(request, pk, role="learner")
    if request.method == "POST":
        try:
            booking_cancel_with_refund(booking=booking, by=request.user)
        except BookingError:
            # The page explains why (too late, already cancelled…) with the rule's own message.
            return redirect("booking_cancel", pk=booking.pk)
        except ApplicationError as refused:
            messages.error(request, refused.message)
            return redirect("booking_cancel", pk=booking.pk)
        messages.success(
            request,
            _("Your session is cancelled. The full payment of %(amount)s is on its way back to your card.")
            % {"amount": booking.price.format()},
        )
        return redirect("learner_dashboard")
    try:
        booking_cancellation_check(booking=booking, by=request.user, now=timezone.now())
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
            "viewer_zone": booking.learner_zone,
            "free_cancellation_hours": settings.BOOKING_FREE_CANCELLATION_HOURS,
        },
    )
