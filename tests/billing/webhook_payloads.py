"""Signed Stripe webhook deliveries for the webhook tests: Stripe's event and object shapes, built here."""

import hashlib
import hmac
import json
import time
from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from billing.gateways.testmode import LOCAL_WEBHOOK_UUID
from billing.models import Payment
from bookings.models import Booking
from tests.builders import bookable_expert
from tests.factories import UserFactory
from tests.marketplace.factories import next_monday_nine_berlin

API = "https://api.stripe.com"
SECRET = "whsec_taptime_local"
URL = f"/stripe/webhook/{LOCAL_WEBHOOK_UUID}/"


def intent(intent_id, status, *, amount=4_500, error=None):
    return {
        "id": intent_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_capturable": 0,
        "amount_received": amount if status == "succeeded" else 0,
        "capture_method": "automatic",
        "client_secret": f"{intent_id}_secret_x",
        "confirmation_method": "automatic",
        "created": 1_790_000_000,
        "currency": "eur",
        "customer": None,
        "description": None,
        "last_payment_error": {"message": error, "code": "card_declined"} if error else None,
        "latest_charge": None,
        "livemode": False,
        "metadata": {},
        "on_behalf_of": None,
        "payment_method": None,
        "payment_method_types": ["card"],
        "receipt_email": None,
        "setup_future_usage": None,
        "shipping": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": None,
        "status": status,
        "transfer_data": None,
        "transfer_group": None,
    }


def event(event_id, event_type, obj):
    return {
        "id": event_id,
        "object": "event",
        "api_version": "2024-04-10",
        "created": 1_790_000_100,
        "data": {"object": obj},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
    }


def signed(body: str, secret: str = SECRET, timestamp: int | None = None) -> str:
    timestamp = timestamp or int(time.time())
    signature = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={signature}"


def deliver(client, payload, **sign):
    body = json.dumps(payload)
    # Run what the services queue with on_commit, as a real commit would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            URL, data=body, content_type="application/json", headers={"stripe-signature": signed(body, **sign)}
        )


def booking_with_payment(status, intent_id):
    """A booking of a bookable expert's listed time (next Monday 9:00 Berlin, EUR 45) and its payment."""
    session_type = bookable_expert(price="45")
    start = next_monday_nine_berlin()
    booking = Booking.objects.create(
        learner=UserFactory(),
        expert=session_type.profile.user,
        session_type=session_type,
        start=start,
        end=start + timedelta(hours=1),
        status=status,
        hold_expires_at=timezone.now() + timedelta(minutes=10) if status == Booking.Status.HELD else None,
        amount_minor=4_500,
        currency="EUR",
    )
    payment = Payment.objects.create(
        booking=booking,
        reference=booking.reference,
        payer=booking.learner,
        payee=booking.expert,
        amount_minor=4_500,
        currency="EUR",
        commission_rate_bp=1500,
        idempotency_key=f"{booking.reference}-pi-v1",
        stripe_payment_intent_id=intent_id,
    )
    return booking, payment


def refund_list(intent_id, amount=4_500):
    return {"object": "list", "has_more": False, "url": "/v1/refunds", "data": [
        {"id": "re_late", "object": "refund", "amount": amount, "status": "succeeded", "payment_intent": intent_id}
    ]}  # fmt: skip
