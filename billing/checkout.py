"""Checkout for a held booking, and the link from a succeeded payment to its booking.

Production confirms card payments in the browser with Stripe's Payment
Element: card data never reaches our servers, and 3-D Secure runs there. The
offline demo and the tests instead confirm on the server with Stripe's test
payment methods (``TEST_CARDS``), which is only offered when
``STRIPE_LIVE_MODE`` is off.
"""

from __future__ import annotations

import logging

import stripe
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.errors import BookingError
from marketplace.models import Booking
from marketplace.services import booking_confirm, booking_goals_set

from .errors import PaymentError
from .gateway import StripeGateway, payment_gateway
from .models import Payment
from .services import payment_create, payment_sync

logger = logging.getLogger(__name__)

# choice -> Stripe test payment method (or a test card number to turn into one).
TEST_CARDS = {
    "success": "pm_card_visa",
    "decline": "pm_card_chargeCustomerFail",
    "authenticate": "4000002500003155",
}


def _test_payment_method(choice: str, gateway) -> str:
    method = TEST_CARDS[choice]
    if method.startswith("pm_"):
        return method
    # A card that needs 3-D Secure has no ready-made pm_ id: create one (test mode only).
    api_key = getattr(gateway, "api_key", None) or StripeGateway().api_key
    created = stripe.PaymentMethod.create(
        api_key=api_key, type="card", card={"number": method, "exp_month": 12, "exp_year": 2034, "cvc": "123"}
    )
    return created["id"]


def booking_pay(*, booking: Booking, test_card: str, goals_note: str = "", gateway=None) -> Payment:
    """Charge a held booking at the price fixed when it was held, and confirm it on success.

    The idempotency key comes from the booking (``booking-<id>-pi-v<attempt>``),
    so a double submit reuses the same PaymentIntent. An expired hold is
    refused before anything is charged.
    """
    if settings.STRIPE_LIVE_MODE:
        raise PaymentError(_("Card payments are confirmed in the browser in live mode."), code="live_mode")
    if test_card not in TEST_CARDS:
        raise PaymentError(_("Please choose a payment method."), code="bad_method")
    if booking.status != Booking.Status.HELD or (booking.hold_expires_at or timezone.now()) <= timezone.now():
        raise BookingError(
            _("Your hold on this time has expired and nothing was charged. Please choose a time again."),
            code="hold_expired",
        )
    booking_goals_set(booking=booking, note=goals_note)
    gateway = gateway or payment_gateway()
    payment = payment_create(
        booking_ref=booking.reference,
        payer=booking.learner,
        payee=booking.expert,
        amount_minor=int(booking.amount_minor),
        currency=booking.currency,
        payment_method=_test_payment_method(test_card, gateway),
        confirm=True,
        gateway=gateway,
    )
    if payment.stripe_payment_intent_id:
        payment = payment_sync(payment_intent_id=payment.stripe_payment_intent_id, gateway=gateway) or payment
    if payment.status == Payment.Status.SUCCEEDED:
        # Confirm right away so the learner lands on the confirmation page; the
        # payment_succeeded receiver does the same for webhooks and is a no-op here.
        confirm_booking_on_payment(sender=Payment, payment=payment)
    return payment


def confirm_booking_on_payment(sender, payment: Payment, **kwargs) -> None:
    """``payment_succeeded`` receiver: confirm the booking the payment is for (idempotent)."""
    prefix = "booking-"
    if not payment.booking_ref.startswith(prefix) or not payment.booking_ref[len(prefix) :].isdigit():
        return
    booking = Booking.objects.filter(pk=int(payment.booking_ref[len(prefix) :])).first()
    if booking is None:
        logger.error("Payment %s is for unknown %s", payment.pk, payment.booking_ref)
        return
    if (booking.amount_minor, booking.currency) != (payment.amount_minor, payment.currency):
        logger.error("Payment %s does not match %s's price; not confirming", payment.pk, payment.booking_ref)
        return
    try:
        booking_confirm(booking=booking)
    except BookingError:
        # Paid after the hold ran out: the slot may be someone else's now. Needs a refund (staff, for now).
        logger.error("Payment %s succeeded but %s could not be confirmed (hold expired)", payment.pk, booking.reference)


def connect() -> None:
    from .signals import payment_succeeded

    payment_succeeded.connect(confirm_booking_on_payment, dispatch_uid="billing_confirm_booking_on_payment")
