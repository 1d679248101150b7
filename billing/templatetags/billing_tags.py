"""Money on pages other apps render: ``{% load billing_tags %}{% booking_split booking as split %}``.

The booking page is the bookings app's, which knows nothing of payments; its
template asks for the money here, as the expert page asks bookings for free times.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import template

from core.money import Money

from ..selectors import booking_paid_payment
from ..services.ledger import BASIS_POINTS, commission_split

register = template.Library()


@dataclass(frozen=True)
class BookingSplit:
    """What the learner paid, TapTime's fee and the expert's share, by the rate on the payment."""

    paid: Money
    fee: Money
    share: Money
    rate_percent: Decimal


@register.simple_tag
def booking_split(booking) -> BookingSplit | None:
    """The split of the booking's paid payment (one query), or None when it was never paid."""
    payment = booking_paid_payment(booking=booking)
    if payment is None:
        return None
    share, fee = commission_split(gross=payment.amount_minor, commission_rate_bp=payment.commission_rate_bp)
    return BookingSplit(
        paid=Money(payment.amount_minor, payment.currency),
        fee=Money(fee, payment.currency),
        share=Money(share, payment.currency),
        rate_percent=(Decimal(payment.commission_rate_bp) * 100 / BASIS_POINTS).normalize(),
    )


@register.simple_tag
def money_of(amount, currency) -> str:
    """Minor units and a currency, formatted in the active language ("" for zero, so tables stay quiet)."""
    if not amount:
        return ""
    return Money(int(amount), str(currency)).format()
