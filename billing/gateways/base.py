"""The payment gateway interface and its value objects; no SDK object ever leaves an adapter.

Every call that can move money takes an idempotency key built from our own
ids (``booking-<id>-pi-v1``, ``payment-<id>-refund-v1``): a retried request
can never charge or refund twice. Bump the ``-vN`` suffix only when a new
attempt is *meant* to be a different charge.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from ..errors import PaymentError


@dataclass(frozen=True)
class IntentState:
    """What we need to know about a PaymentIntent, independent of the SDK's objects."""

    id: str
    status: str  # Stripe's vocabulary: requires_payment_method, requires_action, processing, succeeded, canceled…
    amount_minor: int
    currency: str  # upper case, ISO 4217
    client_secret: str = ""
    metadata: Mapping[str, str] = field(default_factory=dict)
    last_error: str = ""
    created: int = 0  # Unix time, as Stripe gives it


@dataclass(frozen=True)
class RefundState:
    id: str
    status: str
    amount_minor: int


@dataclass(frozen=True)
class DisputeState:
    """A dispute (chargeback) as Stripe reports it now."""

    id: str
    payment_intent_id: str
    status: str  # warning_needs_response, needs_response, under_review, won, lost…
    amount_minor: int
    currency: str
    funds_withdrawn: bool  # a negative balance transaction: the bank took the money back
    funds_reinstated: bool  # a positive one: it was given back after the dispute was won


class GatewayDeclined(PaymentError):
    """The card or bank said no; ``message`` is safe to show to the payer."""


class PaymentGateway(Protocol):
    def create_payment_intent(
        self,
        *,
        amount_minor: int,
        currency: str,
        metadata: Mapping[str, str],
        idempotency_key: str,
        customer: str | None = None,
        payment_method: str | None = None,
        confirm: bool = False,
    ) -> IntentState: ...

    def retrieve_payment_intent(self, intent_id: str) -> IntentState: ...

    def cancel_payment_intent(self, intent_id: str, *, idempotency_key: str) -> IntentState: ...

    def refund(self, intent_id: str, *, idempotency_key: str, amount_minor: int | None = None) -> RefundState: ...

    def refunded_amount(self, intent_id: str) -> int: ...

    def recent_payment_intents(self, *, since: datetime) -> Iterator[IntentState]: ...

    def retrieve_dispute(self, dispute_id: str) -> DisputeState: ...
