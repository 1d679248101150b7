"""Stripe's webhook URL: failed signatures are not stored whole, each client address is rate-limited,
and the sender recorded is the address our trusted-proxy rule gives."""

import json

import pytest
from django.test import TestCase
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


@pytest.mark.parametrize(
    ("proxies", "meta", "recorded"),
    [
        (0, {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": "192.0.2.66"}, "198.51.100.7"),
        (1, {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "192.0.2.66, 198.51.100.7"}, "198.51.100.7"),
    ],
)
def test_the_webhook_records_the_trusted_sender_not_a_forged_header(
    client, stripe_api, settings, proxies, meta, recorded
):
    settings.TRUSTED_PROXY_COUNT = proxies
    stripe_api.get(f"{API}/v1/payment_intents/pi_other", json=intent("pi_other", "succeeded"))
    body = json.dumps(event("evt_ip", "payment_intent.succeeded", intent("pi_other", "succeeded")))
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            URL, data=body, content_type="application/json", headers={"stripe-signature": signed(body)}, **meta
        )
    assert response.status_code == 200
    assert WebhookEventTrigger.objects.get().remote_ip == recorded


def test_the_rate_limit_counts_the_trusted_client_address_behind_a_proxy(client, stripe_api, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.STRIPE_WEBHOOK_RATE_LIMIT = 1
    proxy = "10.0.0.1"
    assert post(client, secret="whsec_forged", address=proxy, **{"x-forwarded-for": "198.51.100.7"}).status_code == 400
    # The same client with a forged entry in front: our proxy's entry still names it, so it is still limited.
    forged = {"x-forwarded-for": "192.0.2.1, 198.51.100.7"}
    assert post(client, secret="whsec_forged", address=proxy, **forged).status_code == 429
    # Another client behind the same proxy has its own count.
    assert post(client, secret="whsec_forged", address=proxy, **{"x-forwarded-for": "198.51.100.8"}).status_code == 400
