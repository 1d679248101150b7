"""A learner cancels a paid session: the rule and the refund policy, then the refund, then the cancellation.

The rule (who, which state, before the start) and the refund the booking's
policy snapshot gives (``bookings.policy.booking_refund_quote``) belong to
bookings; the money belongs here. No gateway call is made while a row is
locked:

1. under the booking's lock the rule is checked, the refund is quoted and,
   when the caller says what it showed the learner (``expected_refund_minor``),
   compared with it: a deadline that passed while the learner was deciding
   changes nothing and says so. The quote is then fixed on the booking
   (``refund_minor``), so every retry refunds exactly that amount;
2. ``payment_refund`` marks the payment ``refund_pending``, commits, asks the
   gateway (idempotency key ``payment-<id>-refund-v1`` in full,
   ``payment-<id>-refund-to-<amount>-v1`` in part) and records the refund: the
   ledger moves the refunded part back from the expert's pending share and the
   commission in the payment's proportions; the rest stays with them. Nothing
   is asked of the gateway when the policy refunds nothing;
3. ``booking_cancel`` cancels the booking, frees the time and tells both sides.

A refund the gateway refuses leaves the booking confirmed and the ledger
untouched; the refund fixed in step 1 stays fixed, so a retry asks for the
same amount with the same key, and a refund that reached Stripe though its
answer was lost is never asked for again with another amount. Two requests at once refund once (the same
key reaches the same refund) and cancel once (the second finds it
cancelled). If step 3 fails after the refund went through, a retry finishes
the cancellation without a second refund, even after the start.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from bookings.errors import BookingError
from bookings.models import Booking
from bookings.policy import booking_cancellation_check, booking_refund_quote
from bookings.services import booking_cancel
from core.locking import locked_transaction

from ..errors import PaymentError
from ..gateways import PaymentGateway
from ..models import Payment
from ..selectors import booking_paid_payment
from .refunds import payment_refund


def booking_cancel_with_refund(
    *,
    booking: Booking,
    by,
    now: datetime | None = None,
    gateway: PaymentGateway | None = None,
    expected_refund_minor: int | None = None,
) -> Booking:
    """Refund what the booking's policy gives now and cancel it, or change nothing.

    Raises ``BookingError`` when the rule refuses (started, not the learner,
    already cancelled) or the refund is no longer ``expected_refund_minor``
    (code ``refund_changed``), and ``PaymentError`` when there is no payment to
    refund or the gateway refuses the refund.
    """
    now = now or timezone.now()
    with locked_transaction():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        payment: Payment | None = booking_paid_payment(booking=locked)
        begun = locked.refund_minor is not None and locked.status == Booking.Status.CONFIRMED
        booking_cancellation_check(booking=locked, by=by, now=now, deadline=not begun)
        if payment is None and locked.amount_minor > 0:
            raise PaymentError(
                _("We could not find the payment for this session, so nothing was changed. Please contact us."),
                code="no_payment",
            )
        if not begun:
            quote = booking_refund_quote(booking=locked, now=now)
            if expected_refund_minor is not None and expected_refund_minor != quote.amount.amount:
                raise BookingError(
                    _(
                        "The refund for this session is now %(amount)s: a deadline of its refund policy "
                        "passed while you were deciding. Nothing was changed; please check and confirm again."
                    )
                    % {"amount": quote.amount.format()},
                    code="refund_changed",
                )
            locked.refund_minor = quote.amount.amount
            locked.save(update_fields=["refund_minor", "updated_at"])
    refund = int(locked.refund_minor or 0)
    if payment is not None and refund > 0:
        try:
            payment_refund(payment=payment, gateway=gateway, amount_minor=refund)
        except PaymentError as error:
            raise PaymentError(
                _("The refund could not be made right now, so your session is still booked. Please try again later."),
                code="refund_failed",
            ) from error
    return booking_cancel(booking=locked, by=by, now=now, refunded=True)
