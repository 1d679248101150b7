"""Retention of what Stripe sent us: raw webhook bodies and headers (dj-stripe's
``WebhookEventTrigger``, which also holds the sender's address) are deleted after
``RETENTION_WEBHOOK_PAYLOAD_DAYS``. The events' effects (payments, refunds, the ledger) stay."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from djstripe.models import WebhookEventTrigger


def webhook_payloads_purge(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.RETENTION_WEBHOOK_PAYLOAD_DAYS)
    deleted, _by_model = WebhookEventTrigger.objects.filter(created__lt=cutoff).delete()
    return deleted
