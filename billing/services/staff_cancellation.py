"""Staff cancel a paid session from the operations console and give the learner everything back.

The participants' cancellation in three steps (``billing.services.cancellation``), with staff's rule:

1. under the booking's lock: confirmed, not ended, nobody else cancelling; the refund is the whole
   price (a cancellation by the company is never the learner's loss), fixed on the booking with
   ``cancelling_by = "staff"`` so every retry refunds exactly that and only staff may finish it;
2. ``payment_refund`` (idempotency key from the payment and the amount): the ledger moves the money
   back from the expert's pending share and the commission in the payment's proportions;
3. ``bookings.services.staff_actions.booking_cancel_by_staff`` cancels it (``cancelled_refunded``),
   frees the time, tells both sides and writes the audit entry with the reason, in one transaction.

A refund the gateway refuses leaves the booking confirmed and nothing logged but the attempt's
failure shown to staff; pressing again asks for the same refund with the same key.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from bookings.errors import BookingError
from bookings.models import Booking
from bookings.services.staff_actions import STAFF, booking_cancel_by_staff, staff_reason_clean
from core.locking import locked_transaction

from ..errors import PaymentError
from ..gateways import PaymentGateway
from ..selectors import booking_paid_payment
from .refunds import payment_refund


def booking_cancel_by_staff_with_refund(
    *, booking: Booking, by, reason: str, now: datetime | None = None, gateway: PaymentGateway | None = None
) -> Booking:
    """Refund the learner in full and cancel the session, or change nothing and raise.

    Raises ``BookingError`` (no permission, no reason, a session that is not confirmed, has ended or
    a participant is cancelling) and ``PaymentError`` (no payment found, the gateway refused).
    """
    now = now or timezone.now()
    reason = staff_reason_clean(by=by, reason=reason)
    with locked_transaction():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.status == Booking.Status.CANCELLED_REFUNDED:
            return locked
        begun = locked.refund_minor is not None and locked.status == Booking.Status.CONFIRMED
        if locked.status != Booking.Status.CONFIRMED or (not begun and locked.end <= now):
            raise BookingError(_("Only a confirmed session that has not ended can be cancelled here."), code="state")
        if begun and locked.cancelling_by != STAFF:
            raise BookingError(_("A participant is cancelling this session right now."), code="participant_cancelling")
        payment = booking_paid_payment(booking=locked)
        if payment is None and locked.amount_minor > 0:
            raise PaymentError(_("No payment was found for this session, so nothing was changed."), code="no_payment")
        if not begun:
            locked.refund_minor, locked.cancelling_by = locked.amount_minor, STAFF
            locked.save(update_fields=["refund_minor", "cancelling_by", "updated_at"])
    refund = int(locked.refund_minor or 0)
    if payment is not None and refund > 0:
        try:
            payment_refund(payment=payment, gateway=gateway, amount_minor=refund)
        except PaymentError as error:
            raise PaymentError(
                _("The refund could not be made right now, so the session is still booked. Please try again."),
                code="refund_failed",
            ) from error
    return booking_cancel_by_staff(booking=locked, by=by, reason=reason, now=now)
