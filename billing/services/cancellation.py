"""A participant cancels a paid session: the rule and the refund, then the refund, then the cancellation.

The learner gets what the booking's refund policy gives at that moment; when
the expert cancels, the learner always gets everything back.

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
the cancellation without a second refund, even after the start. Only the side
that began a cancellation (``Booking.cancelling_by``, written with the fixed
refund) may finish it: a learner and an expert cancelling at once never mix
two refunds; the second is told the other is already cancelling.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bookings.errors import BookingError
from bookings.models import Booking
from bookings.policy import booking_cancellation_check, booking_expert_cancellation_check, booking_refund_quote
from bookings.selectors.proposals import booking_expert_asked_to_move
from bookings.services import booking_cancel, booking_cancel_by_expert
from core.locking import locked_transaction
from core.money import Money

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
    """The learner cancels: refund what the booking's policy gives now and cancel it, or change nothing.

    Raises ``BookingError`` when the rule refuses (started, not the learner,
    already cancelled, the expert is cancelling) or the refund is no longer
    ``expected_refund_minor`` (code ``refund_changed``), and ``PaymentError``
    when there is no payment to refund or the gateway refuses the refund.
    """
    now = now or timezone.now()
    locked, payment = _begin(booking, by=by, side="learner", now=now, expected_refund_minor=expected_refund_minor)
    _refund(locked, payment, gateway=gateway)
    return booking_cancel(booking=locked, by=by, now=now, refunded=True)


def booking_cancel_by_expert_with_refund(
    *, booking: Booking, by, now: datetime | None = None, gateway: PaymentGateway | None = None
) -> Booking:
    """The expert cancels: the learner gets the whole payment back, always; then the booking is cancelled
    (``cancelled_by_expert``), the time freed and the learner sent an apology with the expert's free times.

    The same three steps and errors as the learner's cancellation.
    """
    now = now or timezone.now()
    locked, payment = _begin(booking, by=by, side="expert", now=now)
    _refund(locked, payment, gateway=gateway)
    return booking_cancel_by_expert(booking=locked, by=by, now=now, refunded=True)


_OTHER_SIDE_CANCELLING = {
    "learner": (
        "expert_cancelling",
        gettext_lazy("The expert is cancelling this session right now; you get the whole payment back."),
    ),
    "expert": (
        "learner_cancelling",
        gettext_lazy("The learner is cancelling this session right now, so there is nothing for you to do."),
    ),
}


def _begin(
    booking: Booking, *, by, side: str, now: datetime, expected_refund_minor: int | None = None
) -> tuple[Booking, Payment | None]:
    """Step 1 under the booking's lock: the rule, the refund, and fixing it (with who began) on the booking."""
    check = booking_cancellation_check if side == "learner" else booking_expert_cancellation_check
    with locked_transaction():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        payment: Payment | None = booking_paid_payment(booking=locked)
        begun = locked.refund_minor is not None and locked.status == Booking.Status.CONFIRMED
        check(booking=locked, by=by, now=now, deadline=not begun)
        if begun and locked.cancelling_by != side:
            code, message = _OTHER_SIDE_CANCELLING[side]
            raise BookingError(str(message), code=code)
        if payment is None and locked.amount_minor > 0 and not locked.paid_with_credit:
            raise PaymentError(
                _("We could not find the payment for this session, so nothing was changed. Please contact us."),
                code="no_payment",
            )
        if not begun:
            if side == "expert":
                refund = locked.amount_minor  # the expert cancelling is never the learner's loss
            else:
                asked = booking_expert_asked_to_move(booking=locked)
                refund = booking_refund_quote(booking=locked, now=now, expert_asked_to_move=asked).amount.amount
            if expected_refund_minor is not None and expected_refund_minor != refund:
                raise BookingError(
                    _(
                        "The refund for this session is now %(amount)s: a deadline of its refund policy "
                        "passed while you were deciding. Nothing was changed; please check and confirm again."
                    )
                    % {"amount": Money(int(refund), locked.currency).format()},
                    code="refund_changed",
                )
            locked.refund_minor, locked.cancelling_by = refund, side
            locked.save(update_fields=["refund_minor", "cancelling_by", "updated_at"])
    return locked, payment


def _refund(locked: Booking, payment: Payment | None, *, gateway: PaymentGateway | None) -> None:
    """Step 2: refund the fixed amount (nothing is asked of the gateway for a refund of zero)."""
    refund = int(locked.refund_minor or 0)
    if payment is None or refund <= 0:
        return
    try:
        payment_refund(payment=payment, gateway=gateway, amount_minor=refund)
    except PaymentError as error:
        raise PaymentError(
            _("The refund could not be made right now, so your session is still booked. Please try again later."),
            code="refund_failed",
        ) from error
