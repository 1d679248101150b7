"""Zero- and three-decimal currencies are exact wherever money is shown, charged, refunded or paid out;
Stripe's smallest charge per currency is enforced on prices; withdrawal minimums are per currency."""

from datetime import timedelta
from decimal import Decimal

import pytest
import responses
from hypothesis import given
from hypothesis import strategies as st

from billing.errors import PaymentError, WithdrawalError
from billing.gateways.stripe import StripeGateway
from billing.models import PlatformSettings, Withdrawal, minimum_withdrawals_validator
from billing.services.earnings import earnings_release_due
from billing.services.withdrawals import withdrawal_request
from billing.tax import tax_split
from bookings.policy import booking_refund_quote
from core.money import (
    CURRENCY_EXPONENTS,
    DEFAULT_MINIMUM_WITHDRAWAL,
    STRIPE_MINIMUM_CHARGE,
    Money,
    stripe_amount,
    stripe_floor,
)
from marketplace.forms.expert_area import SessionTypeForm
from tests.billing.money_builders import past_paid_session, ready_payout_account


@pytest.mark.parametrize(
    "minor, currency, language, shown",
    [
        (5_000, "JPY", "en", "¥5,000"),
        (5_000, "JPY", "de", "5.000\xa0¥"),
        (12_345, "KWD", "en", "KWD12.345"),
        (12_345, "BHD", "de", "12,345\xa0BHD"),
        (12_345, "EUR", "es", "123,45\xa0€"),
    ],
)
def test_amounts_are_shown_with_the_currencys_own_decimals_in_the_viewers_language(minor, currency, language, shown):
    assert Money(minor, currency).format(language) == shown


def test_major_units_convert_exactly_for_every_exponent():
    assert Money.from_major("5000", "JPY").amount == 5_000
    assert Money.from_major("12.345", "KWD").amount == 12_345
    assert Money(12_345, "KWD").decimal == Decimal("12.345")
    assert Money(5_000, "JPY").decimal == Decimal("5000")


def test_stripe_amounts_are_our_minor_units_and_three_decimals_must_end_in_zero():
    assert stripe_amount(5_000, "JPY") == 5_000 and stripe_amount(12_340, "KWD") == 12_340
    with pytest.raises(ValueError):
        stripe_amount(12_345, "KWD")
    with pytest.raises(TypeError):
        stripe_amount(12.5, "EUR")
    assert stripe_floor(12_345, "BHD") == 12_340 and stripe_floor(12_345, "EUR") == 12_345


@pytest.mark.django_db
def test_the_gateway_refuses_an_amount_stripe_would_round_without_calling_stripe(settings):
    with responses.RequestsMock() as nothing_sent:  # any request would fail the test
        with pytest.raises(PaymentError) as refused:
            StripeGateway(api_base="https://api.stripe.com").create_payment_intent(
                amount_minor=12_345, currency="KWD", metadata={}, idempotency_key="k-1"
            )
        assert refused.value.code == "bad_amount" and not nothing_sent.calls


@pytest.mark.django_db
def test_a_partial_refund_in_kwd_is_floored_to_what_stripe_can_refund():
    payment = past_paid_session(amount=10_010, currency="KWD", ended_days_ago=-3)
    booking = payment.booking
    booking.full_refund_hours, booking.partial_refund_hours, booking.partial_refund_percent = 48, 12, 55
    booking.save()
    quote = booking_refund_quote(booking=booking, now=booking.start - timedelta(hours=24))
    # 55 % of 10.010 KWD is 5.5055: 5.505 in fils, 5.500 in what Stripe refunds.
    assert (quote.percent, quote.amount.amount) == (55, 5_500)
    full = booking_refund_quote(booking=booking, now=booking.start - timedelta(hours=72))
    assert full.amount.amount == 10_010  # a full refund is always the whole price


@given(
    amount=st.integers(min_value=0, max_value=10**12),
    rate=st.integers(min_value=0, max_value=10_000),
    inclusive=st.booleans(),
)
def test_tax_never_invents_or_loses_a_minor_unit(amount, rate, inclusive):
    split = tax_split(amount_minor=amount, rate_bp=rate, inclusive=inclusive)
    assert split.net + split.tax == split.total and split.tax >= 0
    assert split.total == amount if inclusive else split.net == amount


@pytest.mark.parametrize(
    "currency, price, ok",
    [("JPY", "49", False), ("JPY", "50", True), ("JPY", "1", False), ("KWD", "1.50", True), ("EUR", "1", True)],
)
def test_a_price_below_stripes_minimum_charge_is_refused_with_the_minimum(currency, price, ok):
    form = SessionTypeForm(data={"duration_minutes": 60, "price": price, "is_active": "on"}, currency=currency)
    assert form.is_valid() is ok
    if not ok:
        minimum = Money(STRIPE_MINIMUM_CHARGE[currency], currency).format()
        assert form.errors["price"] == [
            f"Stripe cannot charge less than {minimum} in {currency}. Enter a higher price."
        ]


def test_every_currency_has_a_minimum_charge_and_a_default_minimum_withdrawal():
    assert set(STRIPE_MINIMUM_CHARGE) == set(CURRENCY_EXPONENTS) == set(DEFAULT_MINIMUM_WITHDRAWAL)


@pytest.fixture
def jpy_expert(db):
    payment = past_paid_session(amount=20_000, currency="JPY", ended_days_ago=9)
    earnings_release_due()
    ready_payout_account(payment.payee)
    return payment.payee  # ¥17,000 available


@pytest.mark.django_db
def test_the_minimum_withdrawal_is_per_currency_and_staff_may_change_it(jpy_expert):
    with pytest.raises(WithdrawalError) as refused:
        withdrawal_request(expert=jpy_expert, amount_minor=2_999, currency="JPY")
    assert refused.value.code == "below_minimum" and "¥3,000" in refused.value.message
    platform = PlatformSettings.load()
    platform.minimum_withdrawals = {"JPY": 1_000}
    platform.save()
    assert withdrawal_request(expert=jpy_expert, amount_minor=1_000, currency="JPY").amount_minor == 1_000


@pytest.mark.django_db
def test_a_kwd_withdrawal_stripe_could_not_pay_exactly_is_refused():
    payment = past_paid_session(amount=100_000, currency="KWD", ended_days_ago=9)
    earnings_release_due()
    ready_payout_account(payment.payee)
    with pytest.raises(WithdrawalError) as refused:
        withdrawal_request(expert=payment.payee, amount_minor=10_005, currency="KWD")
    assert refused.value.code == "bad_amount" and not Withdrawal.objects.exists()
    assert withdrawal_request(expert=payment.payee, amount_minor=10_000, currency="KWD").pk


@pytest.mark.parametrize(
    "value", [[], {"XXX": 100}, {"EUR": -1}, {"EUR": "2000"}, {"EUR": True}, {"EUR": 20.5}, "2000"]
)
def test_a_tampered_minimum_withdrawal_table_is_refused(value):
    with pytest.raises(Exception) as refused:
        minimum_withdrawals_validator(value)
    assert refused.type.__name__ == "ValidationError"
