"""A learner cancels a paid session: the rule, then a full refund, then the cancellation.

The rule (who, which state, how long before the start) belongs to bookings
(``bookings.policy``); the money belongs here. No gateway call is made while a
row is locked:

1. the rule is checked under the booking's lock, and nothing changes yet;
2. ``payment_refund`` marks the payment ``refund_pending``, commits, asks the
   gateway (idempotency key ``payment-<id>-refund-v1``) and records the refund;
3. ``booking_cancel`` cancels the booking, frees the time and tells both sides.

A refund the gateway refuses leaves the booking confirmed and the ledger
untouched. Two requests at once refund once (the same key reaches the same
refund) and cancel once (the second finds it cancelled); a request after a
finished cancellation is refused as already cancelled. If step 3 fails after
the refund went through, the refund stays recorded (it happened) and a retry
finishes the cancellation without a second refund, even past the deadline.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from bookings.models import Booking
from bookings.policy import booking_cancellation_check
from bookings.services import booking_cancel
from core.locking import locked_transaction

from ..errors import PaymentError
from ..gateways import PaymentGateway
from ..models import Payment
from ..selectors import booking_paid_payment
from .refunds import payment_refund


def booking_cancel_with_refund(
    *, booking: Booking, by, now: datetime | None = None, gateway: PaymentGateway | None = None
) -> Booking:
    """Refund the booking's payment in full and cancel it, or change nothing.

    Raises ``BookingError`` when the rule refuses (too late, not the learner,
    already cancelled) and ``PaymentError`` when there is no payment to refund
    or the gateway refuses the refund.
    """
    now = now or timezone.now()
    with locked_transaction():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        payment: Payment | None = booking_paid_payment(booking=locked)
        refund_begun = payment is not None and payment.status != Payment.Status.SUCCEEDED
        booking_cancellation_check(booking=locked, by=by, now=now, deadline=not refund_begun)
        if payment is None and locked.amount_minor > 0:
            raise PaymentError(
                _("We could not find the payment for this session, so nothing was changed. Please contact us."),
                code="no_payment",
            )
    if payment is not None:
        try:
            payment_refund(payment=payment, gateway=gateway)
        except PaymentError as error:
            raise PaymentError(
                _("The refund could not be made right now, so your session is still booked. Please try again later."),
                code="refund_failed",
            ) from error
    return booking_cancel(booking=locked, by=by, now=now, refunded=payment is not None)
