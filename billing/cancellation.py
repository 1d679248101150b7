"""A learner cancels a paid session: full refund first, then the marketplace's cancellation.

The rule (who, which state, how long before the start) belongs to the
marketplace (``booking_cancellation_check``); the money belongs here. Both
happen in one transaction with the booking row locked, so a refund the gateway
refuses leaves the booking confirmed and the ledger untouched, and a second
request waits for the first and is then refused as already cancelled.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.models import Booking
from marketplace.services import booking_cancel, booking_cancellation_check

from .errors import PaymentError
from .gateway import PaymentGateway
from .models import Payment
from .services import payment_refund


def booking_payment(*, booking: Booking) -> Payment | None:
    """The succeeded (or already refunded) payment for a booking, if any (one query)."""
    return (
        Payment.objects.filter(
            booking_ref=booking.reference, status__in=[Payment.Status.SUCCEEDED, Payment.Status.REFUNDED]
        )
        .order_by("-pk")
        .first()
    )


def booking_cancel_with_refund(
    *, booking: Booking, by, now: datetime | None = None, gateway: PaymentGateway | None = None
) -> Booking:
    """Refund the booking's payment in full and cancel it, or change nothing.

    Raises ``BookingError`` when the rule refuses (too late, not the learner,
    already cancelled) and ``PaymentError`` when there is no payment to refund
    or the gateway refuses the refund. The refund's idempotency key is the
    payment's (``payment-<id>-refund-v1``), so a retry after a failure after
    the gateway call never refunds twice.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        booking_cancellation_check(booking=locked, by=by, now=now)
        payment = booking_payment(booking=locked)
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
                    _(
                        "The refund could not be made right now, so your session is still booked. Please try again later."
                    ),
                    code="refund_failed",
                ) from error
        return booking_cancel(booking=locked, by=by, now=now)
