"""Payment services against the loopback Stripe server (localstripe)."""

from datetime import timedelta

import pytest
import stripe
from django.test import TestCase

from billing.errors import PaymentError
from billing.models import LedgerTransaction, Payment, PlatformSettings
from billing.selectors import ledger_balances_for_owner
from billing.services.payments import payment_create, payment_sync
from billing.services.refunds import payment_refund
from billing.signals import payment_failed, payment_refunded, payment_succeeded
from tests.factories import ExpertUserFactory, UserFactory

KEY = "sk_test_TapTimeLocalOnly0000000000000000"


@pytest.fixture
def signals_seen():
    seen = []

    def record(sender, payment, signal, **kwargs):
        seen.append((signal, payment.pk))

    for signal in (payment_succeeded, payment_failed, payment_refunded):
        signal.connect(record)
    yield seen
    for signal in (payment_succeeded, payment_failed, payment_refunded):
        signal.disconnect(record)


def card(number):
    return stripe.PaymentMethod.create(
        api_key=KEY,
        type="card",
        card={"number": number, "exp_month": 12, "exp_year": 2034, "cvc": "123"},
    )["id"]


def committed(function, **kwargs):
    """Call a service and run its on_commit callbacks, as a real commit would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return function(**kwargs)


def pay(ref, method, amount=6_000, **kwargs):
    return committed(
        payment_create,
        reference=ref,
        payee=kwargs.pop("payee", None) or ExpertUserFactory(),
        payer=UserFactory(),
        amount_minor=amount,
        currency=kwargs.pop("currency", "eur"),
        payment_method=method,
        confirm=True,
        **kwargs,
    )


@pytest.mark.django_db
def test_success_books_the_ledger_and_signals_once(stripe_server, signals_seen):
    PlatformSettings.objects.update_or_create(pk=1, defaults={"commission_rate_bp": 1250})
    expert = ExpertUserFactory()
    payment = pay("booking-ok", "pm_card_visa", payee=expert)
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.idempotency_key == "booking-ok-pi-v1" and payment.stripe_payment_intent_id.startswith("pi_")
    assert payment.commission_rate_bp == 1250
    assert ledger_balances_for_owner(owner=expert) == {("expert_pending", "EUR"): 5_250}
    assert signals_seen == [(payment_succeeded, payment.pk)]
    # Asking again (a double click, a retried request) returns the same payment.
    again = payment_create(reference="booking-ok", payee=expert, amount_minor=6_000, currency="EUR")
    assert again.pk == payment.pk
    assert payment_sync(payment_intent_id=payment.stripe_payment_intent_id).status == Payment.Status.SUCCEEDED
    assert signals_seen == [(payment_succeeded, payment.pk)]
    assert LedgerTransaction.objects.count() == 1


@pytest.mark.django_db
def test_decline_confirms_nothing_and_a_retry_gets_a_new_key(stripe_server, signals_seen):
    expert = ExpertUserFactory()
    declined = pay("booking-d", "pm_card_chargeCustomerFail", payee=expert)
    assert declined.status == Payment.Status.FAILED and "declined" in declined.last_error
    assert signals_seen == [(payment_failed, declined.pk)]
    assert not LedgerTransaction.objects.exists()
    retry = pay("booking-d", "pm_card_visa", payee=expert)
    assert retry.pk != declined.pk and retry.idempotency_key == "booking-d-pi-v2"
    assert retry.status == Payment.Status.SUCCEEDED


@pytest.mark.django_db
def test_card_needing_authentication_waits(stripe_server, signals_seen):
    payment = pay("booking-3ds", card("4000002500003155"))
    assert payment.status == Payment.Status.REQUIRES_ACTION
    assert signals_seen == [] and not LedgerTransaction.objects.exists()


@pytest.mark.django_db
def test_refund_reverses_the_ledger_once(stripe_server, signals_seen):
    expert = ExpertUserFactory()
    payment = pay("booking-r", "pm_card_visa", payee=expert)
    refunded = committed(payment_refund, payment=payment)
    assert refunded.status == Payment.Status.REFUNDED
    assert payment_refund(payment=payment).status == Payment.Status.REFUNDED  # second ask: nothing more
    listed = stripe.Refund.list(api_key=KEY, payment_intent=payment.stripe_payment_intent_id)
    assert len(listed["data"]) == 1
    assert ledger_balances_for_owner(owner=expert) == {("expert_pending", "EUR"): 0}
    assert [signal for signal, _ in signals_seen] == [payment_succeeded, payment_refunded]


@pytest.mark.django_db
def test_refusing_to_refund_an_unpaid_payment(stripe_server):
    declined = pay("booking-x", "pm_card_chargeCustomerFail")
    with pytest.raises(PaymentError) as refused:
        payment_refund(payment=declined)
    assert refused.value.code == "not_refundable"


@pytest.mark.django_db
@pytest.mark.parametrize(("amount", "currency"), [(0, "EUR"), (-1, "EUR"), (10.5, "EUR"), (100, "EU"), (100, "")])
def test_wrong_amount_or_currency_is_refused_before_any_call(amount, currency):
    class NoGateway:
        def __getattr__(self, name):
            raise AssertionError("the gateway must not be called")

    with pytest.raises(PaymentError):
        payment_create(
            reference="b", payee=ExpertUserFactory(), amount_minor=amount, currency=currency, gateway=NoGateway()
        )
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_a_changed_price_for_an_open_payment_is_refused(stripe_server):
    expert = ExpertUserFactory()
    payment_create(reference="booking-p", payee=expert, amount_minor=5_000, currency="EUR")
    with pytest.raises(PaymentError) as refused:
        payment_create(reference="booking-p", payee=expert, amount_minor=1, currency="EUR")
    assert refused.value.code == "amount_changed"


def test_a_second_submission_waits_for_the_first_and_answers_with_its_result(db, stripe_server, monkeypatch):
    first = Payment.objects.create(
        reference="booking-77",
        payee=ExpertUserFactory(),
        amount_minor=6_000,
        currency="EUR",
        commission_rate_bp=1500,
        idempotency_key="booking-77-pi-v1",
    )  # its request is still waiting for the payment server

    def meanwhile(seconds):
        Payment.objects.filter(pk=first.pk).update(stripe_payment_intent_id="pi_from_the_first_request")

    monkeypatch.setattr("billing.services.payments.time.sleep", meanwhile)
    asked = []
    monkeypatch.setattr(
        "billing.gateways.stripe.StripeGateway.create_payment_intent", lambda self, **kwargs: asked.append(kwargs)
    )
    second = payment_create(reference="booking-77", payee=first.payee, amount_minor=6_000, currency="EUR")
    assert (second.pk, second.stripe_payment_intent_id) == (first.pk, "pi_from_the_first_request")
    assert asked == []  # the payment server was not asked a second time


def test_a_payment_row_abandoned_without_an_intent_is_retried_with_the_same_key(db, stripe_server, settings):
    abandoned = Payment.objects.create(
        reference="booking-78",
        payee=ExpertUserFactory(),
        amount_minor=6_000,
        currency="EUR",
        commission_rate_bp=1500,
        idempotency_key="booking-78-pi-v1",
    )
    Payment.objects.filter(pk=abandoned.pk).update(
        created_at=abandoned.created_at - timedelta(seconds=settings.BILLING_PAYMENT_IN_FLIGHT_SECONDS + 1)
    )
    retried = payment_create(reference="booking-78", payee=abandoned.payee, amount_minor=6_000, currency="EUR")
    assert retried.pk == abandoned.pk and retried.stripe_payment_intent_id
    assert Payment.objects.filter(reference="booking-78").count() == 1


def test_a_submission_still_in_flight_after_the_wait_is_refused_not_repeated(db, stripe_server, settings, monkeypatch):
    settings.BILLING_PAYMENT_WAIT_SECONDS = 0.2
    Payment.objects.create(
        reference="booking-79",
        payee=ExpertUserFactory(),
        amount_minor=6_000,
        currency="EUR",
        commission_rate_bp=1500,
        idempotency_key="booking-79-pi-v1",
    )
    with pytest.raises(PaymentError) as refused:
        payment_create(reference="booking-79", payee=ExpertUserFactory(), amount_minor=6_000, currency="EUR")
    assert refused.value.code == "in_flight" and "still being processed" in refused.value.message
