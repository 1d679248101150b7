"""The money of a decision on a reported session (``bookings.services.session_reports``).

Bookings records the decision under the booking's lock, with the refund fixed on it
(``SessionDecision.refund_minor``), and sends ``session_refund_due`` in that transaction; billing's
receiver writes this work to the outbox there, so it exists exactly when the decision committed.
Then, outside any lock: the refund through ``payment_refund`` (idempotency key from the payment
and the amount, so a retry or a second delivery reaches the same Stripe refund; the ledger moves
the refunded part back from the expert's pending share and the commission in the payment's
proportions), and ``session_decision_settle`` sets the booking's status and tells both sides.
A decision is recorded once, so nothing here can refund twice; what is not refunded stays with
the expert, exactly as for a completed session.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from bookings.models import Booking, SessionDecision
from bookings.services.session_reports import session_decision_settle
from core.outbox import outbox_enqueue

from ..errors import PaymentError
from ..gateways import PaymentGateway
from ..selectors import booking_paid_payment
from .refunds import payment_refund


def session_refund_enqueue(*, booking: Booking) -> None:
    """Inside the decision's transaction: the refund and the settling, to run once it commits."""
    outbox_enqueue(
        app_label="billing",
        handler="billing.tasks.session_decision_refund",
        payload={"booking_id": booking.pk},
        dedupe_key=f"booking-{booking.pk}-decision-refund",
    )


def session_decision_refund(*, booking_id: int, gateway: PaymentGateway | None = None) -> Booking | None:
    """Refund what the decision gives the learner, then settle it. Does nothing once settled."""
    decision = SessionDecision.objects.select_related("booking").filter(booking_id=booking_id).first()
    if decision is None or decision.settled_at is not None:
        return None
    booking = decision.booking
    if decision.refund_minor > 0:
        payment = booking_paid_payment(booking=booking)
        if payment is None:
            raise PaymentError(_("We could not find the payment for this session."), code="no_payment")
        payment_refund(payment=payment, gateway=gateway, amount_minor=int(decision.refund_minor))
    return session_decision_settle(booking=booking)
