"""The Stripe webhook's entry records the sender address our trusted-proxy rule gives."""

import json

import pytest
from django.test import TestCase
from djstripe.models import WebhookEventTrigger

from tests.billing.test_webhooks import URL, event, intent, signed
from tests.billing.test_webhooks import stripe_api as stripe_api  # noqa: F401 - the fixture


@pytest.mark.parametrize(
    ("proxies", "meta", "recorded"),
    [
        (0, {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": "192.0.2.66"}, "198.51.100.7"),
        (1, {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "192.0.2.66, 198.51.100.7"}, "198.51.100.7"),
    ],
)
def test_the_webhook_records_the_trusted_sender_not_a_forged_header(
    client,
    stripe_api,  # noqa: F811
    settings,
    proxies,
    meta,
    recorded,
):
    settings.TRUSTED_PROXY_COUNT = proxies
    stripe_api.get("https://api.stripe.com/v1/payment_intents/pi_other", json=intent("pi_other", "succeeded"))
    body = json.dumps(event("evt_ip", "payment_intent.succeeded", intent("pi_other", "succeeded")))
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            URL, data=body, content_type="application/json", headers={"stripe-signature": signed(body)}, **meta
        )
    assert response.status_code == 200
    assert WebhookEventTrigger.objects.get().remote_ip == recorded
