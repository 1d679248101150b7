"""The kernel's own tables: the outbox of work that must happen after a change commits."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One piece of work a committed change owes the world (an email, a refund, a Stripe re-read).

    Written in the same transaction as the change (``core.outbox.outbox_enqueue``),
    so it exists exactly when the change does, and drained by the worker
    (``core.outbox.outbox_drain``) until its handler has run once without an
    error. ``dedupe_key`` is unique: the same work asked for twice (a webhook
    redelivered, a confirmation replayed) is one row, so its effect happens once.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to run")
        DONE = "done", _("Done")
        FAILED = "failed", _("Gave up")

    app_label = models.CharField(max_length=64)
    # Dotted path of a function that takes ``payload`` as keyword arguments.
    handler = models.CharField(max_length=200)
    payload = models.JSONField(default=dict, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    # Not before this: now when written; after a claim, the end of the claim's lease;
    # after a failure, the back-off.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["next_attempt_at", "id"], name="outbox_due", condition=Q(status="pending")),
            models.Index(fields=["status", "done_at"], name="outbox_status_done"),
        ]
        verbose_name = _("outbox message")

    def __str__(self) -> str:
        return f"{self.handler} [{self.dedupe_key}] ({self.status})"
