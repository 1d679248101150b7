"""Stripe's webhook endpoint: dj-stripe's view behind a per-address rate limit, told the trusted sender.

dj-stripe serves ``/stripe/webhook/<endpoint uuid>/``, checks the signature and
stores every delivery that carries a signature header (a ``WebhookEventTrigger``
with the body, the headers and the sender's address), valid or not. Anyone can
post there, so the same URL is answered here first:

* more than ``STRIPE_WEBHOOK_RATE_LIMIT`` requests from one client address
  (``core.http.client_ip``, the trusted-proxy rule) within
  ``STRIPE_WEBHOOK_RATE_WINDOW_SECONDS`` get a 429 with ``Retry-After`` and are
  neither stored nor processed (Stripe retries a 429 later);
* dj-stripe records the first X-Forwarded-For entry as the sender, which any
  client can write; it is given the address ``client_ip`` trusts instead.

Deliveries that fail the signature check are stored without their body and
headers (``billing.webhooks.invalid_trigger_trim``).
"""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from djstripe.views import ProcessWebhookView

from core.http import client_ip
from core.ratelimit import rate_limit_hit


class StripeWebhookView(ProcessWebhookView):
    def post(self, request: HttpRequest, uuid: UUID) -> HttpResponse:
        address = client_ip(request)
        window = settings.STRIPE_WEBHOOK_RATE_WINDOW_SECONDS
        if rate_limit_hit(
            scope="stripe-webhook", key=address, limit=settings.STRIPE_WEBHOOK_RATE_LIMIT, window_seconds=window
        ):
            response = HttpResponse("Too many requests.", status=429, content_type="text/plain")
            response["Retry-After"] = str(window)
            return response
        request.META["HTTP_X_FORWARDED_FOR"] = address
        # dj-stripe reads ``request.headers``, which Django builds from META once and caches; a middleware
        # (the request id) has already read it, so drop the cached copy for the trusted address to show.
        request.__dict__.pop("headers", None)
        return super().post(request, uuid)


stripe_webhook = StripeWebhookView.as_view()
