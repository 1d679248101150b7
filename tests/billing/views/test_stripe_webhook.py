"""Stripe's webhook URL: failed signatures are not stored whole, and each client address is rate-limited."""

import json

import pytest
from djstripe.models import WebhookEventTrigger

from tests.billing.webhook_payloads import API, SECRET, URL, event, intent, signed

pytestmark = pytest.mark.django_db

PAYLOAD = event("evt_x", "payment_intent.succeeded", intent("pi_x", "succeeded"))


def post(client, *, secret=SECRET, address="203.0.113.7", **headers):
    body = json.dumps(PAYLOAD)
    return client.post(
        URL,
        data=body,
        content_type="application/json",
        headers={"stripe-signature": signed(body, secret=secret), **headers},
        REMOTE_ADDR=address,
    )


def test_a_delivery_that_fails_the_signature_is_kept_without_its_body_and_headers(client, stripe_api):
    response = post(client, secret="whsec_forged", **{"x-secret-token": "card 4242"})
    assert response.status_code == 400
    (trigger,) = WebhookEventTrigger.objects.all()
    assert (trigger.valid, trigger.body, trigger.headers) == (False, "", {})


def test_a_valid_delivery_is_kept_whole(client, stripe_api):
    stripe_api.get(f"{API}/v1/payment_intents/pi_x", json=intent("pi_x", "succeeded"))
    assert post(client).status_code == 200
    (trigger,) = WebhookEventTrigger.objects.all()
    assert trigger.valid and json.loads(trigger.body)["id"] == "evt_x" and "Stripe-Signature" in trigger.headers


def test_each_client_address_is_rate_limited_and_a_forwarded_header_does_not_reset_it(client, stripe_api, settings):
    settings.STRIPE_WEBHOOK_RATE_LIMIT = 3
    for _ in range(3):
        assert post(client, secret="whsec_forged").status_code == 400
    refused = post(client, secret="whsec_forged", **{"x-forwarded-for": "198.51.100.9"})
    assert refused.status_code == 429 and refused["Retry-After"] == str(settings.STRIPE_WEBHOOK_RATE_WINDOW_SECONDS)
    assert WebhookEventTrigger.objects.count() == 3  # the refused request was neither stored nor processed
    assert post(client, secret="whsec_forged", address="203.0.113.8").status_code == 400  # another address


def test_a_get_is_not_allowed_and_an_unknown_endpoint_is_a_404(client, stripe_api):
    assert client.get(URL).status_code == 405
    body = json.dumps(PAYLOAD)
    unknown = "/stripe/webhook/00000000-0000-0000-0000-000000000000/"
    headers = {"stripe-signature": signed(body)}
    assert client.post(unknown, data=body, content_type="application/json", headers=headers).status_code == 404
