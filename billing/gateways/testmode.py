"""Test mode only: what the offline demo and the tests need on top of the Stripe gateway.

``TestModeGateway`` is ``StripeGateway`` (against Stripe's test mode, or the
loopback server) plus two things live mode never has: server-side payments
with Stripe's test payment methods (``TEST_CARDS``), and local refunds of the
seeded demo sessions' made-up payments. ``stripe_local_setup_ensure`` stores
the dj-stripe rows the loopback server cannot provide. The ``PAYMENT_GATEWAY``
setting picks this class only outside live mode, and it refuses live keys.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime

import stripe
from django.conf import settings
from djstripe.enums import APIKeyType, WebhookEndpointStatus
from djstripe.models import Account, APIKey, WebhookEndpoint

from core.base_url import public_url

from .base import IntentState, RefundState
from .stripe import StripeGateway

# choice -> Stripe test payment method (or a test card number to turn into one).
TEST_CARDS = {
    "success": "pm_card_visa",
    "decline": "pm_card_chargeCustomerFail",
    "authenticate": "4000002500003155",
}

# The seeded demo sessions' payments carry these made-up PaymentIntent ids:
# no Stripe server, not even the loopback one, has ever seen them.
DEMO_INTENT_PREFIX = "pi_demo_"


class TestModeGateway(StripeGateway):
    """Stripe in test mode, with test cards paid on the server and the demo's payments refunded locally."""

    def __init__(self, **kwargs) -> None:
        if settings.STRIPE_LIVE_MODE:
            raise RuntimeError("the test-mode gateway never runs with live keys")
        super().__init__(**kwargs)

    def delete_connect_account(self, account_id: str) -> bool:
        """The loopback server has no Connect: the demo's payout accounts exist only in our database."""
        if getattr(settings, "STRIPE_API_HOST", ""):
            return False
        return super().delete_connect_account(account_id)

    def test_payment_method(self, choice: str) -> str:
        """The PaymentMethod id for one of ``TEST_CARDS`` (a card that needs 3-D Secure is created first)."""
        method = TEST_CARDS[choice]
        if method.startswith("pm_"):
            return method
        created = self._call(
            stripe.PaymentMethod.create,
            type="card",
            card={"number": method, "exp_month": 12, "exp_year": 2034, "cvc": "123"},
        )
        return created["id"]

    def refund(self, intent_id: str, *, idempotency_key: str, amount_minor: int | None = None) -> RefundState:
        if intent_id.startswith(DEMO_INTENT_PREFIX):
            # A seeded demo payment: the whole refund (ledger, emails, calendar) runs, without Stripe.
            return RefundState(
                id=f"re_demo_{intent_id[len(DEMO_INTENT_PREFIX) :]}", status="succeeded", amount_minor=amount_minor or 0
            )
        return super().refund(intent_id, idempotency_key=idempotency_key, amount_minor=amount_minor)

    def recent_payment_intents(self, *, since: datetime) -> Iterator[IntentState]:
        """As Stripe's, but filtered here: the loopback server lists without any filter, oldest first."""
        cutoff = int(since.timestamp())
        for intent in self._call(stripe.PaymentIntent.list, limit=100).auto_paging_iter():
            state = self._state(intent)
            if state.created >= cutoff:
                yield state


# --- dj-stripe's bookkeeping rows for the local (test-mode) Stripe setup ----------------------
# dj-stripe looks up the Stripe Account behind the API key before it processes a
# webhook, and fetches /v1/account when it has none; the loopback server has no
# such endpoint. The demo seeder and the tests therefore store the Account, the
# test API key and the webhook endpoint up front. Production gets these from
# ``manage.py djstripe_sync_models`` against real Stripe.

LOCAL_ACCOUNT_ID = "acct_taptime_local"
# The events billing.webhooks handles; production subscribes its endpoint to the same list.
WEBHOOK_EVENTS = [
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "charge.refunded",
    "charge.dispute.created",
    "charge.dispute.updated",
    "charge.dispute.closed",
    "charge.dispute.funds_withdrawn",
    "charge.dispute.funds_reinstated",
]
LOCAL_WEBHOOK_ID = "we_taptime_local"
# Fixed, so the webhook URL of the demo stays the same across seeds.
LOCAL_WEBHOOK_UUID = uuid.uuid5(uuid.NAMESPACE_URL, "https://taptime.example/stripe/local-webhook")


def stripe_local_setup_ensure() -> tuple[bool, WebhookEndpoint]:
    """Create the local Account, test APIKey and WebhookEndpoint if missing. Returns (created anything, endpoint)."""
    if settings.STRIPE_LIVE_MODE:
        raise RuntimeError("the local Stripe setup is for test mode only")
    created_any = False
    account, created = Account.objects.get_or_create(
        id=LOCAL_ACCOUNT_ID,
        defaults={"livemode": False, "stripe_data": {"id": LOCAL_ACCOUNT_ID, "object": "account"}},
    )
    created_any |= created
    key, created = APIKey.objects.get_or_create(
        secret=settings.STRIPE_TEST_SECRET_KEY,
        defaults={
            "type": APIKeyType.secret,
            "livemode": False,
            "name": "Local test key",
            "djstripe_owner_account": account,
        },
    )
    created_any |= created
    endpoint, created = WebhookEndpoint.objects.get_or_create(
        id=LOCAL_WEBHOOK_ID,
        defaults={
            "livemode": False,
            "enabled_events": WEBHOOK_EVENTS,
            "status": WebhookEndpointStatus.enabled,
            "url": public_url(f"/stripe/webhook/{LOCAL_WEBHOOK_UUID}/"),
            "secret": settings.DJSTRIPE_WEBHOOK_SECRET,
            "djstripe_uuid": LOCAL_WEBHOOK_UUID,
            "djstripe_owner_account": account,
            "api_version": "",
        },
    )
    created_any |= created
    return created_any, endpoint
