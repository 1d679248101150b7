"""The payment gateway adapter: a small interface and its Stripe implementation.

Services talk to ``payment_gateway()``, never to the ``stripe`` module, so
tests can swap the gateway and a second provider would plug in here.

Every call that can move money takes an idempotency key built from our own
ids (``payment-<id>-pi-v1``, ``payment-<id>-refund-v1``): a retried request
can never charge or refund twice. Bump the ``-vN`` suffix only when a new
attempt is *meant* to be a different charge.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import stripe
from django.conf import settings

from .errors import PaymentError


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


@dataclass(frozen=True)
class RefundState:
    id: str
    status: str
    amount_minor: int


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


def _secret_key() -> str:
    return settings.STRIPE_LIVE_SECRET_KEY if settings.STRIPE_LIVE_MODE else settings.STRIPE_TEST_SECRET_KEY


class StripeGateway:
    """PaymentIntents through the official ``stripe`` SDK (also against localstripe on loopback)."""

    def __init__(self, *, api_key: str | None = None, api_base: str | None = None) -> None:
        self.api_key = api_key or _secret_key()
        api_base = api_base or getattr(settings, "STRIPE_API_HOST", "")
        if api_base:
            # dj-stripe reads STRIPE_API_HOST into the same global at start-up;
            # keep them in step when tests point it at a fresh server.
            stripe.api_base = api_base

    def _state(self, intent: Any) -> IntentState:
        error = intent.get("last_payment_error") or {}
        return IntentState(
            id=intent["id"],
            status=intent["status"],
            amount_minor=int(intent["amount"]),
            currency=str(intent["currency"]).upper(),
            client_secret=intent.get("client_secret") or "",
            metadata=dict(intent.get("metadata") or {}),
            # stripe 15's StripeObject is not a dict subclass, but it has .get().
            last_error=(error.get("message") or "") if error else "",
        )

    def _call(self, function, *args, **kwargs):
        try:
            return function(*args, api_key=self.api_key, **kwargs)
        except stripe.CardError as error:
            raise GatewayDeclined(error.user_message or "The card was declined.", code="card_declined") from error
        except stripe.StripeError as error:
            raise PaymentError(
                "The payment service could not complete the request. Please try again.", code="gateway_error"
            ) from error

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
    ) -> IntentState:
        if not isinstance(amount_minor, int) or isinstance(amount_minor, bool) or amount_minor <= 0:
            raise PaymentError("The amount must be a positive whole number of minor units.", code="bad_amount")
        if not idempotency_key:
            raise PaymentError("Money-moving calls need an idempotency key.", code="no_idempotency_key")
        params: dict[str, Any] = {
            "amount": amount_minor,
            "currency": currency.lower(),
            "metadata": dict(metadata),
            "payment_method_types": ["card"],
        }
        if customer:
            params["customer"] = customer
        if payment_method:
            params["payment_method"] = payment_method
        if confirm:
            params["confirm"] = True
        try:
            intent = stripe.PaymentIntent.create(api_key=self.api_key, idempotency_key=idempotency_key, **params)
        except stripe.CardError as error:
            # A declined confirm-on-create: the intent exists and says why.
            intent_id = (error.json_body or {}).get("error", {}).get("payment_intent", {}).get("id")
            if not intent_id:
                raise GatewayDeclined(error.user_message or "The card was declined.", code="card_declined") from error
            intent = self._call(stripe.PaymentIntent.retrieve, intent_id)
        except stripe.StripeError as error:
            raise PaymentError(
                "The payment service could not complete the request. Please try again.", code="gateway_error"
            ) from error
        return self._state(intent)

    def retrieve_payment_intent(self, intent_id: str) -> IntentState:
        return self._state(self._call(stripe.PaymentIntent.retrieve, intent_id))

    def cancel_payment_intent(self, intent_id: str, *, idempotency_key: str) -> IntentState:
        return self._state(self._call(stripe.PaymentIntent.cancel, intent_id, idempotency_key=idempotency_key))

    def refund(self, intent_id: str, *, idempotency_key: str, amount_minor: int | None = None) -> RefundState:
        params: dict[str, Any] = {"payment_intent": intent_id}
        if amount_minor is not None:
            params["amount"] = amount_minor
        refund = self._call(stripe.Refund.create, idempotency_key=idempotency_key, **params)
        return RefundState(id=refund["id"], status=refund["status"], amount_minor=int(refund["amount"]))

    def refunded_amount(self, intent_id: str) -> int:
        """Sum of the succeeded refunds of a PaymentIntent, read back from Stripe."""
        listed = self._call(stripe.Refund.list, payment_intent=intent_id, limit=100)
        return sum(int(item["amount"]) for item in listed["data"] if item["status"] == "succeeded")


# The seeded demo sessions' payments (``billing.demo``) carry these made-up PaymentIntent
# ids: no Stripe server, not even the loopback one, has ever seen them.
DEMO_INTENT_PREFIX = "pi_demo_"


class DemoPaymentsGateway:
    """Outside live mode: Stripe, except that refunds of the seeded demo payments happen here.

    So the demo learner can cancel a seeded session and see the whole refund
    (ledger reversal, emails, calendar update) without a Stripe round trip that
    could only fail. Every other call, and every other id, goes to ``inner``.
    """

    def __init__(self, inner: PaymentGateway) -> None:
        self.inner = inner

    def __getattr__(self, name: str):
        return getattr(self.inner, name)

    def refund(self, intent_id: str, *, idempotency_key: str, amount_minor: int | None = None) -> RefundState:
        if intent_id.startswith(DEMO_INTENT_PREFIX):
            return RefundState(
                id=f"re_demo_{intent_id[len(DEMO_INTENT_PREFIX) :]}", status="succeeded", amount_minor=amount_minor or 0
            )
        return self.inner.refund(intent_id, idempotency_key=idempotency_key, amount_minor=amount_minor)


def payment_gateway() -> PaymentGateway:
    """The configured gateway: Stripe, and outside live mode the demo's seeded payments refund locally."""
    if settings.STRIPE_LIVE_MODE:
        return StripeGateway()
    return DemoPaymentsGateway(StripeGateway())
