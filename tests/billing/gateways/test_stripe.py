"""The Stripe gateway against localstripe: success, decline, authentication, refund."""

import pytest

from billing.errors import PaymentError
from billing.gateways import GatewayDeclined
from billing.gateways.stripe import StripeGateway


def create(gateway, payment_method, key, amount=4_500):
    return gateway.create_payment_intent(
        amount_minor=amount,
        currency="eur",
        metadata={"payment": key},
        idempotency_key=f"payment-{key}-pi-v1",
        payment_method=payment_method,
        confirm=True,
    )


def test_success_with_the_visa_test_method(stripe_server):
    gateway = StripeGateway()
    intent = create(gateway, "pm_card_visa", "ok")
    assert intent.status == "succeeded"
    assert (intent.amount_minor, intent.currency) == (4_500, "EUR")
    assert intent.metadata == {"payment": "ok"}
    assert gateway.retrieve_payment_intent(intent.id).status == "succeeded"


@pytest.mark.parametrize("payment_method", ["pm_card_chargeCustomerFail", "card-0341"])
def test_declined_card_leaves_the_intent_unpaid(stripe_server, payment_method):
    gateway = StripeGateway()
    if payment_method == "card-0341":
        import stripe

        payment_method = stripe.PaymentMethod.create(
            api_key=gateway.api_key,
            type="card",
            card={"number": "4000000000000341", "exp_month": 12, "exp_year": 2034, "cvc": "123"},
        )["id"]
    # localstripe answers a declined confirm-on-create with a card error and no
    # intent id (Stripe itself includes one; the gateway then returns its state).
    with pytest.raises(GatewayDeclined) as declined:
        create(gateway, payment_method, f"decline-{payment_method}")
    assert declined.value.code == "card_declined" and "declined" in declined.value.message


def test_card_requiring_authentication(stripe_server):
    import stripe

    gateway = StripeGateway()
    method = stripe.PaymentMethod.create(
        api_key=gateway.api_key,
        type="card",
        card={"number": "4000002500003155", "exp_month": 12, "exp_year": 2034, "cvc": "123"},
    )["id"]
    intent = create(gateway, method, "3ds")
    assert intent.status == "requires_action"
    assert intent.client_secret
    cancelled = gateway.cancel_payment_intent(intent.id, idempotency_key="payment-3ds-cancel-v1")
    assert cancelled.status == "canceled"


def test_refund(stripe_server):
    gateway = StripeGateway()
    intent = create(gateway, "pm_card_visa", "refund", amount=12_000)
    refund = gateway.refund(intent.id, idempotency_key="payment-refund-refund-v1")
    assert (refund.status, refund.amount_minor) == ("succeeded", 12_000)
    import stripe

    listed = stripe.Refund.list(api_key=gateway.api_key, payment_intent=intent.id)
    assert [item["id"] for item in listed["data"]] == [refund.id]


@pytest.mark.parametrize("amount", [0, -100, 10.5])
def test_wrong_amounts_never_reach_stripe(stripe_server, amount):
    with pytest.raises(PaymentError):
        create(StripeGateway(), "pm_card_visa", "bad", amount=amount)


def test_unknown_intent_is_a_clear_error(stripe_server):
    with pytest.raises(PaymentError) as error:
        StripeGateway().retrieve_payment_intent("pi_doesnotexist")
    assert error.value.code == "gateway_error"
