"""Billing's reactions to other apps' signals.

When holds lapse (``bookings.signals.holds_lapsed``, sent inside the
transaction that releases them), the PaymentIntents of their payments are
cancelled: an outbox message per payment is written in that same transaction,
so no late attempt in a browser tab can charge for a time nobody holds.

When a decision on a reported session gives the learner money back
(``bookings.signals.session_refund_due``, sent inside the decision's transaction), the refund is
written to the outbox in that same transaction (``billing.services.session_decisions``).

A payment's own outcome reaches its booking through the outbox too
(``billing.services.payments._follow_up_enqueue``), not through a receiver
run after commit, which a crash could lose. ``payment_succeeded`` and
``payment_failed`` are still sent after commit for anyone else who listens.
"""

from bookings.signals import booking_changed, holds_lapsed, session_refund_due

from .services.packages import credit_return_for_cancellation
from .services.payments import payment_intents_cancel_enqueue
from .services.session_decisions import session_refund_enqueue


def holds_lapsed_receive(sender, booking_ids: list[int], **kwargs) -> None:
    payment_intents_cancel_enqueue(booking_ids=booking_ids)


def session_refund_due_receive(sender, booking, decision, **kwargs) -> None:
    session_refund_enqueue(booking=booking)


def booking_changed_receive(sender, booking, event: str, **kwargs) -> None:
    """A cancelled credit-booked session gives its credit back under the refund policy, in the
    cancellation's own transaction."""
    if event == "cancelled" and booking.paid_with_credit:
        credit_return_for_cancellation(booking=booking)


def connect() -> None:
    booking_changed.connect(booking_changed_receive, dispatch_uid="billing_booking_changed_receive")
    holds_lapsed.connect(holds_lapsed_receive, dispatch_uid="billing_holds_lapsed_receive")
    session_refund_due.connect(session_refund_due_receive, dispatch_uid="billing_session_refund_due_receive")
