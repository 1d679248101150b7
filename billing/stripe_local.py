"""dj-stripe's bookkeeping rows for the local (test-mode) Stripe setup.

dj-stripe looks up the Stripe Account behind the API key before it processes
a webhook, and fetches ``/v1/account`` when it has none; localstripe has no
such endpoint. The demo seeder and the tests therefore store the Account, the
test API key and the webhook endpoint up front. Test mode only: production
gets these from ``manage.py djstripe_sync_models`` against real Stripe.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from djstripe.enums import APIKeyType, WebhookEndpointStatus
from djstripe.models import Account, APIKey, WebhookEndpoint

LOCAL_ACCOUNT_ID = "acct_taptime_local"
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
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    endpoint, created = WebhookEndpoint.objects.get_or_create(
        id=LOCAL_WEBHOOK_ID,
        defaults={
            "livemode": False,
            "enabled_events": ["payment_intent.succeeded", "payment_intent.payment_failed", "charge.refunded"],
            "status": WebhookEndpointStatus.enabled,
            "url": f"{base}/stripe/webhook/{LOCAL_WEBHOOK_UUID}/",
            "secret": settings.DJSTRIPE_WEBHOOK_SECRET,
            "djstripe_uuid": LOCAL_WEBHOOK_UUID,
            "djstripe_owner_account": account,
            "api_version": "",
        },
    )
    created_any |= created
    return created_any, endpoint
