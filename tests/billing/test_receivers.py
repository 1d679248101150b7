"""Holds that lapse cancel their PaymentIntents, so a late attempt cannot charge at all.

Against the loopback Stripe server: a real intent per hold, then the hold is
let go by the expiry job, by a failed payment's release, or by a new hold over
the learner's limit; the outbox cancels the intent, and confirming it
afterwards with a good card is refused by Stripe.
"""

from datetime import timedelta

import pytest
import stripe
from django.conf import settings
from django.utils import timezone

from billing.models import Payment
from billing.services.payments import payment_create
from bookings.models import Booking
from bookings.services import booking_expire_holds, booking_release_hold
from core.models import OutboxMessage
from core.outbox import outbox_drain
from tests.builders import bookable_expert, held_booking
from tests.factories import UserFactory
from tests.marketplace.factories import next_monday_nine_berlin

pytestmark = pytest.mark.django_db


@pytest.fixture
def hold_with_intent(stripe_server):
    def make(learner=None, session_type=None, start=None):
        session_type = session_type or bookable_expert()
        booking = held_booking(
            learner=learner or UserFactory(), session_type=session_type, start=start or next_monday_nine_berlin()
        )
        payment = payment_create(
            reference=booking.reference,
            booking=booking,
            payer=booking.learner,
            payee=booking.expert,
            amount_minor=booking.amount_minor,
            currency=booking.currency,
        )
        assert payment.stripe_payment_intent_id and payment.status == Payment.Status.PENDING
        return booking, payment

    return make


def assert_cannot_be_paid(payment):
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CANCELED
    intent = stripe.PaymentIntent.retrieve(payment.stripe_payment_intent_id, api_key=settings.STRIPE_TEST_SECRET_KEY)
    assert intent["status"] == "canceled"
    # A browser tab that still holds the client secret tries to pay: Stripe refuses.
    with pytest.raises(stripe.InvalidRequestError):
        stripe.PaymentIntent.confirm(payment.stripe_payment_intent_id, api_key=settings.STRIPE_TEST_SECRET_KEY)


def test_the_expiry_job_cancels_the_intents_of_the_holds_it_frees(hold_with_intent):
    booking, payment = hold_with_intent()
    untouched, other = hold_with_intent(start=next_monday_nine_berlin() + timedelta(days=7))
    assert booking_expire_holds(now=timezone.now() + timedelta(minutes=11)) == 2
    assert sorted(
        OutboxMessage.objects.filter(handler="billing.tasks.payment_intent_cancel").values_list("dedupe_key", flat=True)
    ) == sorted([f"payment-{payment.pk}-cancel", f"payment-{other.pk}-cancel"])
    outbox_drain()
    assert_cannot_be_paid(payment)
    assert_cannot_be_paid(other)


def test_a_released_hold_cancels_its_intent(hold_with_intent):
    booking, payment = hold_with_intent()
    assert booking_release_hold(booking=booking)
    outbox_drain()
    assert_cannot_be_paid(payment)


def test_a_hold_released_over_the_learners_limit_cancels_its_intent(hold_with_intent, settings):
    settings.BOOKING_MAX_LIVE_HOLDS = 1
    learner, session_type = UserFactory(), bookable_expert()
    first, payment = hold_with_intent(learner=learner, session_type=session_type)
    held_booking(learner=learner, session_type=session_type, start=next_monday_nine_berlin() + timedelta(hours=2))
    first.refresh_from_db()
    assert first.status == Booking.Status.EXPIRED
    outbox_drain()
    assert_cannot_be_paid(payment)


def test_holds_without_a_payment_queue_nothing(db):
    booking = held_booking(learner=UserFactory(), session_type=bookable_expert(), start=next_monday_nine_berlin())
    assert booking_release_hold(booking=booking)
    assert not OutboxMessage.objects.filter(handler="billing.tasks.payment_intent_cancel").exists()
