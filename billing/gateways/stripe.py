"""The live gateway: PaymentIntents and refunds through the official ``stripe`` SDK.

The same class talks to Stripe's test mode, or to a Stripe-compatible server on
loopback when ``STRIPE_API_HOST`` is set (the offline demo and the tests).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

import stripe
from django.conf import settings
from django.utils.translation import gettext as _

from core.money import stripe_amount

from ..errors import PaymentError
from .base import (
    ConnectAccountState,
    DisputeState,
    GatewayDeclined,
    IntentState,
    RefundState,
    TaxCalculationState,
    TransferRefused,
    TransferState,
)


def _secret_key() -> str:
    return settings.STRIPE_LIVE_SECRET_KEY if settings.STRIPE_LIVE_MODE else settings.STRIPE_TEST_SECRET_KEY


def _stripe_amount(amount_minor: int, currency: str) -> int:
    """Our minor units as Stripe's ``amount``; an amount Stripe would round (11.005 KWD) is refused, never rounded."""
    try:
        return stripe_amount(amount_minor, currency.upper())
    except (KeyError, ValueError) as error:
        raise PaymentError(_("Stripe cannot take this amount in this currency exactly."), code="bad_amount") from error


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
            created=int(intent.get("created") or 0),
        )

    def _call(self, function, *args, **kwargs):
        try:
            return function(*args, api_key=self.api_key, **kwargs)
        except stripe.CardError as error:
            raise GatewayDeclined(error.user_message or _("The card was declined."), code="card_declined") from error
        except stripe.StripeError as error:
            raise PaymentError(
                _("The payment service could not complete the request. Please try again."), code="gateway_error"
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
            raise PaymentError(_("The amount must be a positive whole number of minor units."), code="bad_amount")
        if not idempotency_key:
            raise PaymentError("Money-moving calls need an idempotency key.", code="no_idempotency_key")
        params: dict[str, Any] = {
            "amount": _stripe_amount(amount_minor, currency),
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
                raise GatewayDeclined(
                    error.user_message or _("The card was declined."), code="card_declined"
                ) from error
            intent = self._call(stripe.PaymentIntent.retrieve, intent_id)
        except stripe.StripeError as error:
            raise PaymentError(
                _("The payment service could not complete the request. Please try again."), code="gateway_error"
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

    def retrieve_dispute(self, dispute_id: str) -> DisputeState:
        dispute = self._call(stripe.Dispute.retrieve, dispute_id)
        moved = [int(item["amount"]) for item in (dispute.get("balance_transactions") or [])]
        intent = dispute.get("payment_intent")
        return DisputeState(
            id=dispute["id"],
            payment_intent_id=(intent.get("id") if hasattr(intent, "get") else intent) or "",
            status=dispute["status"],
            amount_minor=int(dispute["amount"]),
            currency=str(dispute["currency"]).upper(),
            funds_withdrawn=any(amount < 0 for amount in moved),
            funds_reinstated=any(amount > 0 for amount in moved),
        )

    def recent_payment_intents(self, *, since: datetime) -> Iterator[IntentState]:
        """Every PaymentIntent created since ``since``, newest first (Stripe pages through them)."""
        listed = self._call(stripe.PaymentIntent.list, created={"gte": int(since.timestamp())}, limit=100)
        for intent in listed.auto_paging_iter():
            yield self._state(intent)

    # --- Stripe Tax ------------------------------------------------------------------------------

    def calculate_tax(
        self, *, amount_minor: int, currency: str, country: str, inclusive: bool, reference: str
    ) -> TaxCalculationState:
        """``POST /v1/tax/calculations`` for one line (Stripe Tax must be active on the account)."""
        calculation = self._call(
            stripe.tax.Calculation.create,
            currency=currency.lower(),
            line_items=[
                {
                    "amount": amount_minor,
                    "reference": reference,
                    "tax_behavior": "inclusive" if inclusive else "exclusive",
                    "tax_code": settings.STRIPE_TAX_CODE,
                }
            ],
            customer_details={"address": {"country": country}, "address_source": "billing"},
        )
        tax = int(calculation["tax_amount_inclusive"] if inclusive else calculation["tax_amount_exclusive"])
        rate_bp, name = 0, ""
        for part in calculation.get("tax_breakdown") or []:
            details = part.get("tax_rate_details") or {}
            if int(part.get("amount") or 0):
                # "19.0" → 1900 basis points, exactly (a string from Stripe, never a float here).
                rate_bp = int(Decimal(str(details.get("percentage_decimal") or "0")) * 100)
                name = str(details.get("tax_type") or "")
                break
        return TaxCalculationState(
            id=str(calculation["id"]),
            amount_total=int(calculation["amount_total"]),
            tax_minor=tax,
            inclusive=inclusive,
            rate_bp=rate_bp,
            tax_name=name,
            country=country,
        )

    # --- Stripe Connect (Express accounts, account links, transfers) ---------------------------

    @staticmethod
    def _account_state(account: Any) -> ConnectAccountState:
        requirements = account.get("requirements") or {}
        due = [*(requirements.get("past_due") or []), *(requirements.get("currently_due") or [])]
        return ConnectAccountState(
            id=account["id"],
            details_submitted=bool(account.get("details_submitted")),
            charges_enabled=bool(account.get("charges_enabled")),
            payouts_enabled=bool(account.get("payouts_enabled")),
            requirements_due=tuple(dict.fromkeys(str(item) for item in due)),
            disabled_reason=str(requirements.get("disabled_reason") or ""),
        )

    def create_connect_account(
        self, *, email: str, idempotency_key: str, metadata: Mapping[str, str]
    ) -> ConnectAccountState:
        account = self._call(
            stripe.Account.create,
            idempotency_key=idempotency_key,
            type="express",
            email=email,
            capabilities={"transfers": {"requested": True}},
            metadata=dict(metadata),
        )
        return self._account_state(account)

    def create_account_link(self, account_id: str, *, refresh_url: str, return_url: str) -> str:
        """A single-use onboarding link (Stripe lets it expire after a few minutes; refresh_url mints another)."""
        link = self._call(
            stripe.AccountLink.create,
            account=account_id,
            refresh_url=refresh_url,
            return_url=return_url,
            type="account_onboarding",
        )
        return str(link["url"])

    def retrieve_connect_account(self, account_id: str) -> ConnectAccountState:
        return self._account_state(self._call(stripe.Account.retrieve, account_id))

    def _delete(self, function, object_id: str) -> bool:
        """DELETE one object; a 404 means Stripe has nothing left to erase. Other refusals (an Express
        account with money on it) raise, so the erasure waits and is retried rather than pretending."""
        try:
            answer = function(object_id, api_key=self.api_key)
        except stripe.InvalidRequestError as error:
            if error.http_status == 404:
                return False
            raise PaymentError(
                _("Stripe refused to delete %(id)s: %(reason)s")
                % {"id": object_id, "reason": error.user_message or ""},
                code="gateway_refused",
            ) from error
        except stripe.StripeError as error:
            raise PaymentError(
                _("The payment service could not complete the request. Please try again."), code="gateway_error"
            ) from error
        return bool(answer.get("deleted"))

    def delete_connect_account(self, account_id: str) -> bool:
        return self._delete(stripe.Account.delete, account_id)

    def delete_customer(self, customer_id: str) -> bool:
        return self._delete(stripe.Customer.delete, customer_id)

    def create_transfer(
        self,
        *,
        amount_minor: int,
        currency: str,
        destination: str,
        idempotency_key: str,
        transfer_group: str,
        metadata: Mapping[str, str],
    ) -> TransferState:
        if not isinstance(amount_minor, int) or isinstance(amount_minor, bool) or amount_minor <= 0:
            raise PaymentError(_("The amount must be a positive whole number of minor units."), code="bad_amount")
        if not idempotency_key:
            raise PaymentError("Money-moving calls need an idempotency key.", code="no_idempotency_key")
        try:
            transfer = stripe.Transfer.create(
                api_key=self.api_key,
                idempotency_key=idempotency_key,
                amount=_stripe_amount(amount_minor, currency),
                currency=currency.lower(),
                destination=destination,
                transfer_group=transfer_group,
                metadata=dict(metadata),
            )
        except (stripe.InvalidRequestError, stripe.PermissionError, stripe.CardError) as error:
            # Stripe answered and said no (insufficient platform balance, account not ready…): nothing moved.
            raise TransferRefused(
                (
                    getattr(error, "user_message", None)
                    or getattr(error, "_message", None)
                    or _("Stripe refused the transfer.")
                )[:255],
                code="transfer_refused",
            ) from error
        except stripe.StripeError as error:
            raise PaymentError(
                _("The payment service could not complete the request. Please try again."), code="gateway_error"
            ) from error
        return self._transfer_state(transfer)

    @staticmethod
    def _transfer_state(transfer: Any) -> TransferState:
        return TransferState(
            id=transfer["id"],
            amount_minor=int(transfer["amount"]),
            currency=str(transfer["currency"]).upper(),
            destination=str(transfer.get("destination") or ""),
            reversed=bool(transfer.get("reversed")),
            amount_reversed=int(transfer.get("amount_reversed") or 0),
        )

    def retrieve_transfer(self, transfer_id: str) -> TransferState:
        """``GET /v1/transfers/<id>``: the transfer as Stripe has it now (reversed or not, and how much)."""
        return self._transfer_state(self._call(stripe.Transfer.retrieve, transfer_id))
