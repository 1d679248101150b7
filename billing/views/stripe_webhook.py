"""Stripe's webhook endpoint: dj-stripe's view behind a per-address rate limit.

dj-stripe serves ``/stripe/webhook/<endpoint uuid>/``, checks the signature and
stores every delivery that carries a signature header (a ``WebhookEventTrigger``
with the body and headers), valid or not. Anyone can post there, so the same
URL is answered here first: more than ``STRIPE_WEBHOOK_RATE_LIMIT`` requests
from one client address (``core.http.client_ip``) within
``STRIPE_WEBHOOK_RATE_WINDOW_SECONDS`` get a 429 with ``Retry-After`` and are
neither stored nor processed (Stripe retries a 429 later). Deliveries that fail
the signature check are stored without their body and headers
(``billing.webhooks.invalid_trigger_trim``).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from djstripe.views import ProcessWebhookView

from core.http import client_ip
from core.ratelimit import rate_limit_hit

_process_webhook = ProcessWebhookView.as_view()


@csrf_exempt
def stripe_webhook(request: HttpRequest, uuid) -> HttpResponse:
    window = settings.STRIPE_WEBHOOK_RATE_WINDOW_SECONDS
    if rate_limit_hit(
        scope="stripe-webhook", key=client_ip(request), limit=settings.STRIPE_WEBHOOK_RATE_LIMIT, window_seconds=window
    ):
        response = HttpResponse("Too many requests.", status=429, content_type="text/plain")
        response["Retry-After"] = str(window)
        return response
    return _process_webhook(request, uuid=uuid)
