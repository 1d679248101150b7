"""Billing's own signals, heard by billing: a payment's outcome reaches its booking.

``payment_succeeded`` and ``payment_failed`` are sent once per payment and
state, after commit (``billing.services.payments``). Each receiver calls one
service; the checkout calls the same services right away, so whichever runs
second finds nothing left to do.
"""

from .models import Payment
from .services.checkout import booking_confirm_for_payment, booking_release_for_payment
from .signals import payment_failed, payment_succeeded


def payment_succeeded_receive(sender, payment: Payment, **kwargs) -> None:
    booking_confirm_for_payment(payment=payment)


def payment_failed_receive(sender, payment: Payment, **kwargs) -> None:
    booking_release_for_payment(payment=payment)


def connect() -> None:
    payment_succeeded.connect(payment_succeeded_receive, dispatch_uid="billing_payment_succeeded_receive")
    payment_failed.connect(payment_failed_receive, dispatch_uid="billing_payment_failed_receive")
