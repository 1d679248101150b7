"""Outgoing webhooks: users' endpoints, signed deliveries, retries with back-off, a log and replay.

A booking's change (``bookings.signals.booking_changed``, sent inside its
transaction) records one ``WebhookDelivery`` per subscribed endpoint of its
expert and its learner, in that same transaction: a delivery exists exactly
when the change committed. The worker sends what is due (a periodic job every
minute, nudged on commit), never under a row lock held during the HTTP call.

Each request carries ``Webhook-Id`` (the event id: the same for every endpoint
and for a replay, so receivers can drop duplicates) and
``TapTime-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">``
keyed by the endpoint's secret, like Stripe's scheme; receivers should refuse
a timestamp more than five minutes old. A 2xx answer within ten seconds is
success; anything else is retried after ``RETRY_DELAYS`` (about three days in
all), then the delivery is marked failed. Replaying from the log sends the same
event again as a new delivery.

Endpoints must be public HTTPS addresses: unless ``WEBHOOK_ALLOW_PRIVATE`` (dev
and tests), a URL whose host resolves to a private, loopback, link-local or
reserved address is refused when it is saved and again before each delivery.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_q.tasks import async_task

from accounts.secrets import secret_decrypt, secret_encrypt
from bookings.models import Booking
from core.errors import ApplicationError
from core.public_address import host_problem
from reviews.models import SessionReview

from .models import WebhookDelivery, WebhookEndpoint

# After the first attempt: 1 min, 5 min, 30 min, 2 h, 5 h, 10 h, 24 h, 24 h (about 2.7 days), then give up.
RETRY_DELAYS = [timedelta(minutes=m) for m in (1, 5, 30, 120, 300, 600, 1440, 1440)]
TIMEOUT_SECONDS = 10
MAX_ENDPOINTS = 10
RESPONSE_KEPT = 2000
DUE_BATCH = 50


class WebhookError(ApplicationError):
    """An endpoint cannot be saved (address, events, limit)."""


def signature_header(*, secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def webhook_url_problem(url: str) -> str | None:
    """Why this URL cannot receive webhooks, or None. Resolves the host (DNS) to check every address."""
    parts = urlsplit(url)
    allow_private = settings.WEBHOOK_ALLOW_PRIVATE
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        return _("Use an https:// address.")
    if not parts.hostname or parts.username or parts.password:
        return _("Use an address with a host name and no user name or password in it.")
    if allow_private:
        return None
    problem = host_problem(parts.hostname, parts.port or 443)
    if problem == "unresolved":
        return _("This host name does not resolve.")
    if problem == "private":
        return _("This address is on a private or reserved network; use a public one.")
    return None


def webhook_endpoint_create(*, user, url: str, events: list[str]) -> tuple[WebhookEndpoint, str]:
    """Save an endpoint and return it with its signing secret (shown to the user once)."""
    known = {event for event, _label in WebhookEndpoint.EVENTS}
    if not events or not set(events) <= known:
        raise WebhookError(_("Choose at least one of the listed events."), code="bad_events")
    problem = webhook_url_problem(url)
    if problem:
        raise WebhookError(problem, code="bad_url")
    if WebhookEndpoint.objects.filter(user=user).count() >= MAX_ENDPOINTS:
        raise WebhookError(_("You have %(n)s endpoints; delete one first.") % {"n": MAX_ENDPOINTS}, code="too_many")
    secret = "whsec_" + secrets.token_urlsafe(32)
    endpoint = WebhookEndpoint.objects.create(
        user=user, url=url, events=sorted(set(events)), secret=secret_encrypt(secret)
    )
    return endpoint, secret


def webhook_endpoint_delete(*, user, endpoint_id: int) -> bool:
    deleted, _detail = WebhookEndpoint.objects.filter(pk=endpoint_id, user=user).delete()
    return bool(deleted)


def _booking_payload(booking: Booking) -> dict:
    return {
        "id": booking.pk,
        "status": booking.status,
        "start": booking.start.isoformat(),
        "end": booking.end.isoformat(),
        "price": {"amount_minor": int(booking.amount_minor), "currency": booking.currency},
        "expert_id": booking.expert_id,
        "learner_id": booking.learner_id,
    }


def _deliveries_record(*, user_ids: list[int], name: str, data: dict, now: datetime) -> int:
    """One delivery per active endpoint of these users subscribed to ``name`` (in the caller's transaction)."""
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(user_id__in=user_ids, is_active=True)
        if name in endpoint.events
    ]
    if not endpoints:
        return 0
    event_id = uuid.uuid4()
    payload = {"id": str(event_id), "type": name, "created": int(now.timestamp()), "data": data}
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(endpoint=endpoint, event_id=event_id, event=name, payload=payload, next_attempt_at=now)
        for endpoint in endpoints
    )
    transaction.on_commit(_nudge, robust=True)
    return len(endpoints)


def webhook_deliveries_record(*, booking: Booking, event: str, now: datetime | None = None) -> int:
    """Record the deliveries of a booking event for its participants' endpoints (in the caller's transaction)."""
    return _deliveries_record(
        user_ids=[booking.expert_id, booking.learner_id],
        name=f"booking.{event}",
        data={"booking": _booking_payload(booking)},
        now=now or timezone.now(),
    )


def _review_payload(review: SessionReview) -> dict:
    """What the expert page shows of a review, and nothing more: no private note, no learner id."""
    return {
        "id": review.pk,
        "booking_id": review.booking_id,
        "rating": review.rating,
        "knowledge": review.knowledge,
        "clarity": review.clarity,
        "preparation": review.preparation,
        "text": review.text,
        "session_minutes": review.session_minutes,
        "published_at": review.published_at.isoformat() if review.published_at else None,
    }


def payout_webhook_deliveries_record(*, withdrawal, now: datetime | None = None) -> int:
    """Record ``payout.paid`` for a withdrawal just paid out, to its expert's endpoints."""
    return _deliveries_record(
        user_ids=[withdrawal.expert_id],
        name="payout.paid",
        data={
            "payout": {
                "id": withdrawal.pk,
                "amount_minor": int(withdrawal.amount_minor),
                "currency": withdrawal.currency,
                "transfer_id": withdrawal.stripe_transfer_id,
                "requested_at": withdrawal.created_at.isoformat(),
            }
        },
        now=now or timezone.now(),
    )


def review_webhook_deliveries_record(*, reviews: list[SessionReview], now: datetime | None = None) -> int:
    """Record ``review.published`` for each newly public review, to its expert's endpoints."""
    now = now or timezone.now()
    return sum(
        _deliveries_record(
            user_ids=[review.profile.user_id],
            name="review.published",
            data={"review": _review_payload(review)},
            now=now,
        )
        for review in reviews
    )


def _nudge() -> None:
    if settings.OUTBOX_NUDGE:
        async_task("api.tasks.deliver_due_webhooks", task_name="webhooks-deliver")


def _claim(*, now: datetime, limit: int) -> list[int]:
    """Due deliveries, each moved past a lease so a parallel run does not send it too."""
    lease = now + timedelta(seconds=TIMEOUT_SECONDS * 3)
    with transaction.atomic():
        ids = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .filter(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        WebhookDelivery.objects.filter(pk__in=ids).update(next_attempt_at=lease)
    return ids


def webhook_deliveries_send_due(*, now: datetime | None = None, limit: int = DUE_BATCH) -> int:
    """Send every due delivery once (the periodic job); returns how many were tried."""
    now = now or timezone.now()
    ids = _claim(now=now, limit=limit)
    for delivery_id in ids:
        webhook_delivery_send(delivery_id=delivery_id, now=now)
    return len(ids)


def webhook_delivery_send(*, delivery_id: int, now: datetime | None = None) -> WebhookDelivery | None:
    """One attempt: sign, POST, record the answer, and schedule the next try or give up."""
    now = now or timezone.now()
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return delivery
    endpoint = delivery.endpoint
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    status_code, response_text, error = None, "", ""
    problem = webhook_url_problem(endpoint.url)
    if problem or not endpoint.is_active:
        error = problem or "endpoint disabled"
    else:
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "TapTime-Webhooks/1",
            "Webhook-Id": str(delivery.event_id),
            "TapTime-Signature": signature_header(
                secret=secret_decrypt(endpoint.secret), timestamp=timestamp, body=body
            ),
        }
        try:
            response = requests.post(
                endpoint.url, data=body, headers=headers, timeout=TIMEOUT_SECONDS, allow_redirects=False
            )
            status_code, response_text = response.status_code, response.text[:RESPONSE_KEPT]
        except requests.RequestException as failure:
            error = type(failure).__name__
    delivery.attempts += 1
    delivery.last_status_code, delivery.last_response, delivery.last_error = status_code, response_text, error[:300]
    if status_code is not None and 200 <= status_code < 300:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = WebhookDelivery.Status.SUCCEEDED, now, None
    elif delivery.attempts > len(RETRY_DELAYS):
        delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.FAILED, None
    else:
        delivery.next_attempt_at = now + RETRY_DELAYS[delivery.attempts - 1]
    delivery.save()
    return delivery


def webhook_delivery_replay(*, user, delivery_id: int) -> WebhookDelivery | None:
    """Send a logged event again (same event id) to the same endpoint, as a new delivery; None if not the user's."""
    original = WebhookDelivery.objects.filter(pk=delivery_id, endpoint__user=user).first()
    if original is None:
        return None
    replay = WebhookDelivery.objects.create(
        endpoint_id=original.endpoint_id,
        event_id=original.event_id,
        event=original.event,
        payload=original.payload,
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(_nudge, robust=True)
    return replay


def webhook_endpoints_of(*, user) -> list[WebhookEndpoint]:
    """The user's endpoints, each with its 20 newest deliveries (two queries)."""
    endpoints = list(WebhookEndpoint.objects.filter(user=user).order_by("pk"))
    recent: dict[int, list[WebhookDelivery]] = {endpoint.pk: [] for endpoint in endpoints}
    rows = WebhookDelivery.objects.filter(endpoint__user=user).order_by("-pk")[: 20 * max(1, len(endpoints))]
    for delivery in rows:
        if len(recent[delivery.endpoint_id]) < 20:
            recent[delivery.endpoint_id].append(delivery)
    for endpoint in endpoints:
        endpoint.recent_deliveries = recent[endpoint.pk]
    return endpoints
