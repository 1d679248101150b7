"""The API's part of a person's data: outgoing webhook endpoints and stored idempotent answers
(personal access tokens themselves belong to accounts and are exported there as names and
last-used dates only). Registered in ``ready``."""

from __future__ import annotations

from typing import Any

from accounts import privacy

from .models import IdempotencyRecord, WebhookDelivery, WebhookEndpoint


def export(*, user) -> dict[str, Any]:
    return {
        # The signing secret is never exported.
        "webhook_endpoints": WebhookEndpoint.objects.filter(user=user)
        .values("url", "events", "is_active", "created_at")
        .iterator(),
        "idempotency_keys": IdempotencyRecord.objects.filter(user=user)
        .values("key", "status", "created_at")
        .iterator(),
    }


def erase(*, user, pseudonym: str) -> None:
    WebhookDelivery.objects.filter(endpoint__user=user).delete()
    WebhookEndpoint.objects.filter(user=user).delete()
    IdempotencyRecord.objects.filter(user=user).delete()


def register() -> None:
    privacy.register("api", export=export, erase=erase, models=[WebhookEndpoint, IdempotencyRecord])
