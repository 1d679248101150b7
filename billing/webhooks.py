"""Our reactions to Stripe webhooks, hooked into dj-stripe's event signals.

dj-stripe verifies the signature (per ``WebhookEndpoint`` secret), stores the
``Event`` once per event id (a redelivered event is not processed again) and
then calls these receivers inside its transaction. We never trust the event's
payload for the state: we re-read the PaymentIntent (or its refunds) from
Stripe and let ``billing.services`` apply it behind its transition guard, so
duplicates and out-of-order deliveries cannot confirm twice or un-confirm.
"""

from __future__ import annotations

from djstripe.event_handlers import djstripe_receiver

from .services import payment_refund_sync, payment_sync


def _intent_id(event) -> str | None:
    obj = (event.data or {}).get("object") or {}
    if obj.get("object") == "payment_intent":
        return obj.get("id")
    intent = obj.get("payment_intent")
    if isinstance(intent, dict):
        return intent.get("id")
    return intent


@djstripe_receiver(["payment_intent.succeeded", "payment_intent.payment_failed"])
def on_payment_intent_event(sender, event, **kwargs):
    intent_id = _intent_id(event)
    if intent_id:
        payment_sync(payment_intent_id=intent_id)


@djstripe_receiver("charge.refunded")
def on_charge_refunded(sender, event, **kwargs):
    intent_id = _intent_id(event)
    if intent_id:
        payment_refund_sync(payment_intent_id=intent_id)
