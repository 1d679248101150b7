"""The reconciliation job refunds paid PaymentIntents that no payment row owns (loopback Stripe)."""

from datetime import timedelta

import pytest
import stripe
from django.conf import settings

from billing.gateways import payment_gateway
from billing.models import Payment
from billing.services.payments import payment_create
from billing.services.reconciliation import payment_intents_reconcile
from tests.factories import ExpertUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def paid_intent(**metadata) -> str:
    intent = stripe.PaymentIntent.create(
        api_key=settings.STRIPE_TEST_SECRET_KEY,
        amount=4_500,
        currency="eur",
        payment_method="pm_card_visa",
        confirm=True,
        metadata=metadata,
    )
    assert intent["status"] == "succeeded"
    return intent["id"]


def refunded(intent_id) -> int:
    return payment_gateway().refunded_amount(intent_id)


def test_an_orphan_is_refunded_once_and_owned_or_foreign_intents_are_left_alone(stripe_server):
    owned = payment_create(
        reference="booking-owned",
        payee=ExpertUserFactory(),
        payer=UserFactory(),
        amount_minor=4_500,
        currency="EUR",
        payment_method="pm_card_visa",
        confirm=True,
    )
    assert owned.status == Payment.Status.SUCCEEDED
    orphan = paid_intent(payment_id=str(owned.pk), booking_ref="booking-owned")  # a second charge for it
    foreign = paid_intent(order="invoice-7")  # not ours: made in Stripe's dashboard, say
    result = payment_intents_reconcile(grace=timedelta(0))
    assert orphan in result.refunded and result.failed == []
    assert (refunded(orphan), refunded(owned.stripe_payment_intent_id), refunded(foreign)) == (4_500, 0, 0)
    # A second run (or two overlapping ones) refunds nothing more.
    assert orphan not in payment_intents_reconcile(grace=timedelta(0)).refunded
    assert refunded(orphan) == 4_500


def test_a_recent_intent_is_left_for_its_payment_to_claim(stripe_server):
    just_paid = paid_intent(payment_id="999999", booking_ref="booking-999999")
    assert just_paid not in payment_intents_reconcile().refunded  # younger than the grace period
    assert refunded(just_paid) == 0
