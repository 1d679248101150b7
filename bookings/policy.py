"""The rules a booking's participants act under. Pure: no queries, no clock of its own.

Screens (to show or hide a button), selectors (for each row of a dashboard) and
services (rechecked under the row lock) all read the same functions, so the
button and the action can never disagree.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import BookingError
from .models import Booking


def booking_cancellation_check(*, booking: Booking, by, now: datetime, deadline: bool = True) -> None:
    """Raise ``BookingError`` unless ``by`` may cancel ``booking`` now for a full refund.

    The booking's learner, a confirmed session, at least
    ``BOOKING_FREE_CANCELLATION_HOURS`` before it starts. ``deadline=False``
    skips the last condition, for finishing a cancellation whose refund has
    already gone through: money given back is not taken back because the clock
    crossed the deadline in between.
    """
    hours = settings.BOOKING_FREE_CANCELLATION_HOURS
    if by is None or booking.learner_id != by.pk:
        raise BookingError(_("Only the learner who booked this session can cancel it."), code="not_learner")
    if booking.status == Booking.Status.CANCELLED_BY_LEARNER:
        raise BookingError(
            _("This session is already cancelled and its payment was refunded."), code="already_cancelled"
        )
    if booking.status != Booking.Status.CONFIRMED:
        raise BookingError(_("Only a confirmed, upcoming session can be cancelled."), code="not_confirmed")
    if deadline and booking.start - now < timedelta(hours=hours):
        raise BookingError(
            _(
                "Sessions can be cancelled for a full refund up to %(hours)d hours before they start. "
                "This one starts sooner, so it can no longer be cancelled."
            )
            % {"hours": hours},
            code="too_late",
        )


def booking_is_cancellable(*, booking: Booking, by, now: datetime) -> bool:
    """``booking_cancellation_check`` as a yes/no, for screens that only show or hide the button."""
    try:
        booking_cancellation_check(booking=booking, by=by, now=now)
    except BookingError:
        return False
    return True
