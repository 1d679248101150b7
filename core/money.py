"""Money as integer minor units with an explicit currency. Never floats.

Formatting follows the active language's conventions through Babel's CLDR data
("€80.00" in English, "80,00 €" in German and Spanish), so a price reads the way
the visitor expects on /de/ as well as on /.

Cross-currency sorting and price filters use a *reference amount*: the price
converted to the reference currency (USD) with fixed rates. The rates are
demo figures kept in code (overridable with the ``MARKETPLACE_FX_RATES``
setting); they only order and filter the browse page, they never decide what a
learner pays — the learner always pays the expert's own price in the expert's
currency, shown as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency
from django.conf import settings
from django.utils.translation import get_language, to_locale

# ISO 4217 codes we accept for expert pricing, with their minor-unit exponent.
CURRENCY_EXPONENTS: dict[str, int] = {
    "USD": 2,
    "EUR": 2,
    "GBP": 2,
    "CAD": 2,
    "AUD": 2,
    "CHF": 2,
    "JPY": 0,
    "INR": 2,
    # Three-decimal currencies: 1 KWD = 1000 fils. Stripe takes them in thousandths but only in
    # multiples of ten (``stripe_amount``).
    "KWD": 3,
    "BHD": 3,
}
CURRENCY_CHOICES = [(code, code) for code in CURRENCY_EXPONENTS]
REFERENCE_CURRENCY = "USD"
# Units of the reference currency per one unit of the currency (demo figures).
DEFAULT_FX_RATES = {
    "USD": "1",
    "EUR": "1.08",
    "GBP": "1.27",
    "CAD": "0.73",
    "AUD": "0.66",
    "CHF": "1.13",
    "JPY": "0.0067",
    "INR": "0.012",
    "KWD": "3.26",
    "BHD": "2.65",
}

# Stripe's smallest charge per currency, in minor units (docs.stripe.com/currencies#minimum-and-maximum-
# charge-amounts; KWD and BHD are not settlement currencies there: about 0.50 USD, rounded up to 10 fils).
STRIPE_MINIMUM_CHARGE: dict[str, int] = {
    "USD": 50,
    "EUR": 50,
    "GBP": 30,
    "CAD": 50,
    "AUD": 50,
    "CHF": 50,
    "JPY": 50,
    "INR": 50,
    "KWD": 200,
    "BHD": 200,
}

# The default smallest withdrawal per currency (minor units): about 20 euros' worth, a round figure
# in each currency. Staff override any of them in Settings → Billing.
DEFAULT_MINIMUM_WITHDRAWAL: dict[str, int] = {
    "USD": 2000,
    "EUR": 2000,
    "GBP": 2000,
    "CAD": 3000,
    "AUD": 3000,
    "CHF": 2000,
    "JPY": 3000,
    "INR": 200000,
    "KWD": 6000,
    "BHD": 8000,
}


def minimum_withdrawal(currency: str) -> int:
    """The built-in smallest withdrawal in ``currency`` (minor units)."""
    return DEFAULT_MINIMUM_WITHDRAWAL[currency]


def stripe_amount(amount_minor: int, currency: str) -> int:
    """``amount_minor`` as Stripe's ``amount`` integer, refusing what Stripe cannot take exactly.

    Stripe counts in the currency's minor unit like we do (cents; yen for JPY, which has none;
    thousandths for KWD and BHD), but a three-decimal amount must be a multiple of ten. We never
    round money silently: an amount Stripe would round is a ValueError.
    """
    if not isinstance(amount_minor, int) or isinstance(amount_minor, bool):
        raise TypeError("Stripe amounts are whole minor units.")
    if CURRENCY_EXPONENTS[currency] == 3 and amount_minor % 10:
        raise ValueError(f"{amount_minor} {currency}: Stripe takes three-decimal amounts in multiples of ten.")
    return amount_minor


def stripe_floor(amount_minor: int, currency: str) -> int:
    """The largest amount ≤ ``amount_minor`` Stripe can move exactly (three-decimal: a multiple of ten)."""
    return amount_minor - amount_minor % 10 if CURRENCY_EXPONENTS[currency] == 3 else amount_minor


def stripe_minimum_charge(currency: str) -> Money:
    return Money(STRIPE_MINIMUM_CHARGE[currency], currency)


def fx_rate(currency: str) -> Decimal:
    rates = getattr(settings, "MARKETPLACE_FX_RATES", DEFAULT_FX_RATES)
    return Decimal(rates[currency])


@dataclass(frozen=True, slots=True)
class Money:
    amount: int  # minor units
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise TypeError("Money.amount must be an int of minor units.")
        if self.currency not in CURRENCY_EXPONENTS:
            raise ValueError(f"Unknown currency {self.currency!r}.")

    @property
    def exponent(self) -> int:
        return CURRENCY_EXPONENTS[self.currency]

    @property
    def decimal(self) -> Decimal:
        return Decimal(self.amount).scaleb(-self.exponent)

    @classmethod
    def from_major(cls, value: Decimal | int | str, currency: str) -> Money:
        """``Money.from_major("45.50", "EUR")`` → 4550 minor units; rounds half up."""
        exponent = CURRENCY_EXPONENTS[currency]
        minor = (Decimal(value).scaleb(exponent)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return cls(int(minor), currency)

    def to_reference(self) -> Money:
        """The amount in the reference currency, for sorting and filtering only."""
        if self.currency == REFERENCE_CURRENCY:
            return self
        major = self.decimal * fx_rate(self.currency)
        return Money.from_major(major, REFERENCE_CURRENCY)

    def format(self, language: str | None = None) -> str:
        """The amount as the language reads it (default: the active one), e.g. "€80.00" or "80,00 €"."""
        return format_currency(self.decimal, self.currency, locale=_babel_locale(language or get_language() or "en"))

    def __str__(self) -> str:
        return self.format()


@lru_cache(maxsize=32)
def _babel_locale(language: str) -> Locale:
    """Babel's locale for a Django language code ("de", "pt-br"); English for anything Babel lacks."""
    try:
        return Locale.parse(to_locale(language))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")
