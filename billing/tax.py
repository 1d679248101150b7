"""The tax in an amount, from a rate: pure arithmetic on integer minor units, no ORM, no clock.

Rounding rule (stated once, here): the tax is rounded half up to the currency's minor unit and the
rest is the net, so net + tax is always exactly the total and nothing is lost or invented.

- inclusive (the price contains the tax, EU VAT): tax = total − total × 10000 / (10000 + rate);
- exclusive (the tax comes on top, US-style sales tax): tax = price × rate / 10000, total = price + tax.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True, slots=True)
class TaxSplit:
    net: int
    tax: int
    total: int


def tax_split(*, amount_minor: int, rate_bp: int, inclusive: bool) -> TaxSplit:
    """Split (inclusive) or extend (exclusive) ``amount_minor`` by a rate in basis points."""
    if not isinstance(amount_minor, int) or isinstance(amount_minor, bool) or amount_minor < 0:
        raise ValueError("The amount must be a non-negative whole number of minor units.")
    if not 0 <= rate_bp <= 10_000:
        raise ValueError("A tax rate lies between 0 and 10000 basis points.")
    amount = Decimal(amount_minor)
    if inclusive:
        net = int((amount * 10_000 / (10_000 + rate_bp)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        return TaxSplit(net=net, tax=amount_minor - net, total=amount_minor)
    tax = int((amount * rate_bp / 10_000).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return TaxSplit(net=amount_minor, tax=tax, total=amount_minor + tax)


def tax_share(*, tax_minor: int, total_minor: int, part_minor: int) -> int:
    """The tax in ``part_minor`` of a ``total_minor`` that carried ``tax_minor`` (a partial refund), half up."""
    if total_minor <= 0:
        return 0
    share = Decimal(tax_minor) * part_minor / total_minor
    return int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))
