"""What the API stores of its own: the answers to requests sent with an ``Idempotency-Key``."""

from django.conf import settings
from django.db import models


class IdempotencyRecord(models.Model):
    """The first answer to a POST sent with a key, so a retry gets the same answer and changes nothing.

    Keyed per user: two users' keys never meet. ``request_hash`` covers the
    method, path and body; a retry with another body under the same key is
    refused (``idempotency_key_reused``). ``status`` 0 means the first request
    is still running. Records older than ``IDEMPOTENCY_KEY_HOURS`` are pruned
    (``api.idempotency.idempotency_records_prune``).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(default=0)
    response = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="api_idempotency_one_per_user_key")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


class WebhookEndpoint(models.Model):
    """An address of the user's that is told about their bookings (HMAC-SHA256 signed, retried for three days).

    ``secret`` signs every delivery; it is stored encrypted (``accounts.secrets``) and shown to the user
    once, when the endpoint is made.
    """

    EVENTS = (
        ("booking.confirmed", "booking.confirmed"),
        ("booking.cancelled", "booking.cancelled"),
        ("booking.rescheduled", "booking.rescheduled"),
        ("review.published", "review.published"),
        ("payout.paid", "payout.paid"),
    )

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=300)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One event sent to one endpoint: its payload, every attempt's outcome, and when to try again."""

    class Status(models.TextChoices):
        PENDING = "pending"
        SUCCEEDED = "succeeded"
        FAILED = "failed"  # gave up after the last retry

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField(db_index=True, help_text="The same for every endpoint and for a replay.")
    event = models.CharField(max_length=40)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_response = models.TextField(blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="api_webhook_due")]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id}"
