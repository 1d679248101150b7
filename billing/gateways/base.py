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


@dataclass(frozen=True)
class ConnectAccountState:
    """A Stripe Connect account as Stripe reports it now (no bank details: Stripe keeps those)."""

    id: str
    details_submitted: bool
    charges_enabled: bool
    payouts_enabled: bool
    requirements_due: tuple[str, ...] = ()  # currently_due + past_due, Stripe's names
    disabled_reason: str = ""


@dataclass(frozen=True)
class TransferState:
    id: str
    amount_minor: int
    currency: str
    destination: str
    reversed: bool = False
    amount_reversed: int = 0  # how much of it Stripe has reversed so far (transfer.reversed)


class TransferRefused(PaymentError):
    """Stripe answered and refused the transfer (a 4xx): nothing moved, it is safe to give the money back.

    Any other failure (a timeout, a 5xx) leaves it unknown whether the transfer was made; the caller
    must retry with the same idempotency key rather than give the money back."""


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


@dataclass(frozen=True)
class TaxCalculationState:
    """A Stripe Tax calculation (``tax.calculation``) reduced to what a receipt needs."""

    id: str
    amount_total: int  # what the customer pays, tax included
    tax_minor: int  # the tax in it (inclusive) or on top of it (exclusive)
    inclusive: bool
    rate_bp: int  # the breakdown's rate in basis points (0 when none applies)
    tax_name: str  # Stripe's tax_type: "vat", "gst", "sales_tax"…
    country: str


class TaxGateway(Protocol):
    """Stripe Tax's calculation API: the tax on one line for a customer in one country."""

    def calculate_tax(
        self, *, amount_minor: int, currency: str, country: str, inclusive: bool, reference: str
    ) -> TaxCalculationState: ...


class ConnectGateway(Protocol):
    """Stripe Connect Express: payout accounts, their onboarding links, and transfers to them."""

    def create_connect_account(
        self, *, email: str, idempotency_key: str, metadata: Mapping[str, str]
    ) -> ConnectAccountState: ...

    def create_account_link(self, account_id: str, *, refresh_url: str, return_url: str) -> str: ...

    def retrieve_connect_account(self, account_id: str) -> ConnectAccountState: ...

    def delete_connect_account(self, account_id: str) -> bool:
        """Erasure: close the Express account at Stripe. False when Stripe no longer has it."""
        ...

    def delete_customer(self, customer_id: str) -> bool:
        """Erasure: delete the Stripe customer (its saved cards go with it). False when already gone."""
        ...

    def create_transfer(
        self,
        *,
        amount_minor: int,
        currency: str,
        destination: str,
        idempotency_key: str,
        transfer_group: str,
        metadata: Mapping[str, str],
    ) -> TransferState: ...

    def retrieve_transfer(self, transfer_id: str) -> TransferState: ...
