"""Our reactions to Stripe webhooks, hooked into dj-stripe's event signals.

dj-stripe verifies the signature (per ``WebhookEndpoint`` secret), stores the
``Event`` once per event id (a redelivered event is not processed again) and
then calls these receivers inside its transaction. We never trust the event's
payload for the state, and we do not call Stripe inside that transaction: each
receiver writes an outbox message (``core.outbox``) in that same transaction,
so the follow-up exists exactly when the stored event does and survives a
worker crash. Its handler re-reads the PaymentIntent (or its refunds) from
Stripe and lets ``billing.services.payments`` apply it behind its transition
guard, so duplicates and out-of-order deliveries cannot confirm twice or
un-confirm. A failing handler is retried with back-off.
"""

from __future__ import annotations

from django.dispatch import receiver
from djstripe.event_handlers import djstripe_receiver
from djstripe.signals import webhook_post_validate

from core.outbox import outbox_enqueue


def _intent_id(event) -> str | None:
    obj = (event.data or {}).get("object") or {}
    if obj.get("object") == "payment_intent":
        return obj.get("id")
    intent = obj.get("payment_intent")
    if isinstance(intent, dict):
        return intent.get("id")
    return intent


def _follow_up(event, handler: str, **payload) -> None:
    outbox_enqueue(app_label="billing", handler=handler, payload=payload, dedupe_key=f"stripe-event-{event.id}")


@djstripe_receiver(["payment_intent.succeeded", "payment_intent.payment_failed"])
def on_payment_intent_event(sender, event, **kwargs):
    intent_id = _intent_id(event)
    if intent_id:
        _follow_up(event, "billing.tasks.payment_intent_sync", payment_intent_id=intent_id)


@djstripe_receiver(
    [
        "charge.dispute.created",
        "charge.dispute.updated",
        "charge.dispute.closed",
        "charge.dispute.funds_withdrawn",
        "charge.dispute.funds_reinstated",
    ]
)
def on_charge_dispute(sender, event, **kwargs):
    dispute = (event.data or {}).get("object") or {}
    if dispute.get("object") == "dispute" and dispute.get("id"):
        _follow_up(event, "billing.tasks.payment_disputes_sync", dispute_id=dispute["id"])


@djstripe_receiver("charge.refunded")
def on_charge_refunded(sender, event, **kwargs):
    intent_id = _intent_id(event)
    if intent_id:
        _follow_up(event, "billing.tasks.payment_refunds_sync", payment_intent_id=intent_id)


@receiver(webhook_post_validate, dispatch_uid="billing_invalid_trigger_trim")
def invalid_trigger_trim(sender, instance, valid, **kwargs):
    """A delivery that fails the signature check is kept as a trace, not whole.

    dj-stripe has already stored it with its body and headers (anyone can post
    to the URL); it saves the row again after this signal, so clearing them
    here leaves only the time, the endpoint and that it was invalid.
    """
    if not valid:
        instance.body = ""
        instance.headers = {}


@djstripe_receiver("account.updated")
def on_account_updated(sender, event, **kwargs):
    """A connected (payout) account changed at Stripe: re-read it outside dj-stripe's transaction."""
    account = (event.data or {}).get("object") or {}
    if account.get("object") == "account" and str(account.get("id", "")).startswith("acct_"):
        _follow_up(event, "billing.tasks.payout_account_refresh", stripe_account_id=account["id"])


@djstripe_receiver("transfer.reversed")
def on_transfer_reversed(sender, event, **kwargs):
    """A transfer to a payout account was reversed: re-read it and book the money back, outside this transaction."""
    transfer = (event.data or {}).get("object") or {}
    if transfer.get("object") == "transfer" and str(transfer.get("id", "")).startswith("tr_"):
        _follow_up(event, "billing.tasks.withdrawal_transfer_reversed", transfer_id=transfer["id"])
