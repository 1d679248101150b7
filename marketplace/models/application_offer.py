"""An application's offer (``ExpertApplication.offer``): what it may hold, read into money.

Stored as JSON so a draft can be half-filled and the shape can grow without a
migration::

    {"currency": "EUR",
     "sessions": [{"minutes": 60, "price": "80.00"}],
     "packages": [{"sessions": 5, "minutes": 60, "price": "350.00"}]}

``offer_parse`` is the one reader: the application form writes what it
accepted, the submit service refuses an offer it cannot read, and the approval
turns the parsed offer into session types and packages.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from core.money import CURRENCY_EXPONENTS, Money

from .offerings import DURATION_CHOICES

DURATIONS = tuple(value for value, _label in DURATION_CHOICES)
MAX_PACKAGES = 3
MIN_PRICE = Decimal("1")
MAX_PRICE = Decimal("100000")
PACKAGE_SESSIONS = (2, 50)


class OfferInvalid(ValueError):
    """The stored offer cannot be used; ``messages`` says why, for the applicant."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class SessionOffer:
    minutes: int
    price: Money


@dataclass(frozen=True)
class PackageOffer:
    sessions: int
    minutes: int
    price: Money


@dataclass(frozen=True)
class Offer:
    currency: str
    sessions: tuple[SessionOffer, ...]
    packages: tuple[PackageOffer, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "currency": self.currency,
            "sessions": [{"minutes": s.minutes, "price": str(s.price.decimal)} for s in self.sessions],
            "packages": [
                {"sessions": p.sessions, "minutes": p.minutes, "price": str(p.price.decimal)} for p in self.packages
            ],
        }


def _price(raw: Any, currency: str) -> Money | None:
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or not (MIN_PRICE <= value <= MAX_PRICE):
        return None
    if value != value.quantize(Decimal(1).scaleb(-CURRENCY_EXPONENTS[currency])):
        return None
    return Money.from_major(value, currency)


def offer_parse(data: Any) -> Offer:
    """The offer as money, or ``OfferInvalid`` listing every problem."""
    if not isinstance(data, dict):
        raise OfferInvalid([_("Add your session lengths and prices.")])
    currency = data.get("currency")
    if currency not in CURRENCY_EXPONENTS:
        raise OfferInvalid([_("Choose one of the supported currencies.")])
    problems: list[str] = []
    sessions: list[SessionOffer] = []
    for row in data.get("sessions") or []:
        minutes = row.get("minutes") if isinstance(row, dict) else None
        price = _price(row.get("price"), currency) if isinstance(row, dict) else None
        if minutes not in DURATIONS or price is None:
            problems.append(_("A session length or price is not valid."))
        elif any(s.minutes == minutes for s in sessions):
            problems.append(_("Each session length can be offered once."))
        else:
            sessions.append(SessionOffer(minutes, price))
    if not sessions and not problems:
        problems.append(_("Offer at least one session length with a price."))
    packages: list[PackageOffer] = []
    rows = data.get("packages") or []
    if len(rows) > MAX_PACKAGES:
        problems.append(_("Offer at most %(n)s packages.") % {"n": MAX_PACKAGES})
    offered = {s.minutes for s in sessions}
    for row in rows[:MAX_PACKAGES]:
        count = row.get("sessions") if isinstance(row, dict) else None
        minutes = row.get("minutes") if isinstance(row, dict) else None
        price = _price(row.get("price"), currency) if isinstance(row, dict) else None
        if not isinstance(count, int) or not PACKAGE_SESSIONS[0] <= count <= PACKAGE_SESSIONS[1] or price is None:
            problems.append(_("A package needs 2 to 50 sessions and a valid price."))
        elif minutes not in offered:
            problems.append(_("A package can only bundle a session length you offer."))
        else:
            packages.append(PackageOffer(count, minutes, price))
    if problems:
        raise OfferInvalid(list(dict.fromkeys(problems)))
    return Offer(currency, tuple(sorted(sessions, key=lambda s: s.minutes)), tuple(packages))


def offer_or_none(data: Any) -> Offer | None:
    try:
        return offer_parse(data)
    except OfferInvalid:
        return None
