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
