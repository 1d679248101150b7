"""Checkout for a held booking, and what a payment's outcome does to its booking.

Production (``STRIPE_LIVE_MODE`` on) confirms card payments in the browser
with Stripe's Payment Element: ``booking_payment_intent`` hands the page a
PaymentIntent's client secret, card data never reaches our servers, 3-D Secure
runs there, and ``booking_payment_return`` re-reads the outcome from Stripe.
The offline demo and the tests instead confirm on the server with Stripe's
test payment methods (``booking_pay``), which only the test-mode gateway
offers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings.errors import BookingError
from bookings.models import Booking
from bookings.services import booking_confirm, booking_goals_set, booking_release_hold
from core.outbox import outbox_enqueue

from ..errors import PaymentError
from ..gateways import PaymentGateway, payment_gateway
from ..gateways.testmode import TEST_CARDS
from ..models import Payment
from ..selectors import booking_latest_payment
from .limits import payment_attempts_check
from .payments import payment_cancel, payment_create, payment_state_apply, payment_sync
from .refunds import payment_refund

logger = logging.getLogger(__name__)


def _hold_check(booking: Booking) -> None:
    if not booking.hold_is_live(timezone.now()):
        raise BookingError(
            _("Your hold on this time has expired and nothing was charged. Please choose a time again."),
            code="hold_expired",
        )


def _booking_payment_create(booking: Booking, gateway: PaymentGateway, **confirm_with) -> Payment:
    """The booking's payment at the price fixed when it was held (learner pays, expert earns)."""
    return payment_create(
        reference=booking.reference,
        booking=booking,
        payer=booking.learner,
        payee=booking.expert,
        amount_minor=int(booking.amount_minor),
        currency=booking.currency,
        gateway=gateway,
        **confirm_with,
    )


def booking_pay(*, booking: Booking, test_card: str, goals_note: str = "", gateway=None) -> Payment:
    """Test mode: charge a held booking with a Stripe test card, and confirm it on success.

    The price is the one fixed when the slot was held. The idempotency key
    comes from the booking (``booking-<id>-pi-v<attempt>``), so a double submit
    reuses the same PaymentIntent. An expired hold is refused before anything
    is charged.
    """
    if settings.STRIPE_LIVE_MODE:
        raise PaymentError(_("Card payments are confirmed in the browser in live mode."), code="live_mode")
    if test_card not in TEST_CARDS:
        raise PaymentError(_("Please choose a payment method."), code="bad_method")
    _hold_check(booking)
    payment_attempts_check(payer=booking.learner, now=timezone.now())
    gateway = gateway or payment_gateway()
    if not hasattr(gateway, "test_payment_method"):
        raise PaymentError(_("Test cards need the test-mode payment gateway."), code="not_test_mode")
    booking_goals_set(booking=booking, note=goals_note)
    payment = _booking_payment_create(
        booking, gateway, payment_method=gateway.test_payment_method(test_card), confirm=True
    )
    if payment.stripe_payment_intent_id:
        payment = payment_sync(payment_intent_id=payment.stripe_payment_intent_id, gateway=gateway) or payment
    return _settle(payment)


def _settle(payment: Payment) -> Payment:
    """Confirm or release the booking right away, so the page the learner sees next already says so.

    The ``payment_succeeded`` / ``payment_failed`` receivers do the same for
    webhooks, after commit; whichever runs second finds nothing left to do.
    """
    if payment.status == Payment.Status.SUCCEEDED:
        booking_confirm_for_payment(payment=payment)  # or refunds it, if the time is gone
    elif payment.status == Payment.Status.FAILED:
        booking_release_for_payment(payment=payment)
    payment.refresh_from_db()
    return payment


@dataclass(frozen=True)
class BrowserPayment:
    """A payment the browser confirms, and the client secret Stripe.js needs for it."""

    payment: Payment
    client_secret: str


def booking_payment_intent(*, booking: Booking, gateway: PaymentGateway | None = None) -> BrowserPayment:
    """Live mode: the PaymentIntent the review page's Payment Element confirms.

    The amount and currency are the booking's, fixed on the server when it was
    held. Reloading the page reuses the open intent (idempotency key
    ``booking-<id>-pi-v<attempt>``). A declined card releases the hold and
    cancels its intent (``booking_release_for_payment``), so a booking never has
    two payable intents: paying again starts from a new hold. The client
    secret is never stored: it is read back from Stripe for each page.
    """
    if not settings.STRIPE_LIVE_MODE:
        raise PaymentError(_("Card payments in the browser need live mode."), code="not_live_mode")
    _hold_check(booking)
    if booking_latest_payment(booking=booking) is None:  # a reload of the page is not a new attempt
        payment_attempts_check(payer=booking.learner, now=timezone.now())
    gateway = gateway or payment_gateway()
    payment = _booking_payment_create(booking, gateway)
    if not payment.stripe_payment_intent_id:
        raise PaymentError(_("The payment service could not start this payment. Please try again."), code="no_intent")
    state = gateway.retrieve_payment_intent(payment.stripe_payment_intent_id)
    return BrowserPayment(payment=payment_state_apply(payment=payment, state=state), client_secret=state.client_secret)


def booking_payment_return(*, booking: Booking, gateway: PaymentGateway | None = None) -> Payment | None:
    """Where Stripe sends the learner after the Payment Element: re-read the outcome from Stripe.

    Only the booking's own latest payment is looked at, never an id from the
    query string, so a tampered or foreign ``payment_intent`` parameter cannot
    confirm anything. A succeeded payment confirms the booking the same way the
    webhook does (idempotent). None if the booking has no payment.
    """
    payment = booking_latest_payment(booking=booking)
    if payment is None:
        return None
    payment = payment_sync(payment_intent_id=payment.stripe_payment_intent_id, gateway=gateway) or payment
    return _settle(payment)


def booking_goals_note_save(*, booking: Booking, goals_note: str) -> Booking:
    """Live mode: keep the learner's note before the browser confirms the payment."""
    _hold_check(booking)
    return booking_goals_set(booking=booking, note=goals_note)


def booking_confirm_for_payment(*, payment: Payment) -> None:
    """A payment succeeded: confirm the booking it pays for (idempotent), or refund it if that cannot be."""
    booking = payment.booking
    if booking is None:
        return
    if (booking.amount_minor, booking.currency) != (payment.amount_minor, payment.currency):
        logger.error("Payment %s does not match %s's price; not confirming", payment.pk, booking.reference)
        return
    try:
        booking_confirm(booking=booking)
    except BookingError as refused:
        if refused.code == "not_confirmable":
            # The booking moved on after this payment confirmed it (cancelled with its refund, or
            # completed): a follow-up that runs late finds nothing to do, and must not refund.
            return
        # Paid after the hold ran out and the time is gone (or has begun): give the money back.
        logger.warning(
            "Payment %s succeeded but %s cannot be confirmed (%s)", payment.pk, booking.reference, refused.code
        )
        payment_refund_unbookable(payment=payment)


def payment_refund_unbookable(*, payment: Payment) -> Payment:
    """Refund in full a payment whose booking could not be confirmed, and tell the learner once.

    The refund's idempotency key is the payment's, and a refunded payment is
    not refunded again, so the webhook and the return page may both get here.
    The email is asked for whenever the payment is found refunded, not only by
    the call that refunded it: an outbox handler that died between the refund
    and this line runs again and still asks for it (the dedupe key sends it
    once). If Stripe refuses, the payment stays succeeded and the error is
    logged for staff; the learner's page then says a refund is on its way.
    """
    payment.refresh_from_db()
    if payment.status == Payment.Status.SUCCEEDED:
        try:
            payment = payment_refund(payment=payment)
        except PaymentError:
            logger.error("Payment %s for %s could not be refunded automatically", payment.pk, payment.reference)
            return payment
    if payment.status == Payment.Status.REFUNDED:
        outbox_enqueue(
            app_label="billing",
            handler="billing.tasks.send_unbookable_payment_refunded",
            payload={"payment_id": payment.pk},
            dedupe_key=f"payment-{payment.pk}-unbookable-refund-mail",
        )
    return payment


def booking_release_for_payment(*, payment: Payment) -> None:
    """A payment failed: free its booking's time at once and close the failed PaymentIntent.

    The learner is offered "Hold this time again" (a new hold and a new
    payment); the old intent is cancelled so that no later attempt on it can
    charge for a time that is no longer held. A failure that arrives after the
    booking was confirmed changes nothing (only a held booking is released).
    """
    booking = payment.booking
    if booking is None or not booking_release_hold(booking=booking):
        return
    payment_cancel(payment=payment)
