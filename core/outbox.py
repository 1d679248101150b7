"""Work that must happen after a change, delivered at least once and effective once.

A django-q2 job queued with ``transaction.on_commit`` is lost if the process
dies between the commit and the queue insert, and the broker hands a job out
before it runs without acknowledging it, so a worker killed mid-job loses it
for good. Work that must not be lost is therefore written as an
``OutboxMessage`` *inside* the transaction of the change it follows
(``outbox_enqueue``): it exists if and only if the change committed.

``outbox_drain`` runs what is due. It claims a batch in a short transaction
(``SELECT … FOR UPDATE SKIP LOCKED``, so parallel drains never take the same
row), moves each claimed row's ``next_attempt_at`` to the end of a lease
(``OUTBOX_LEASE_SECONDS``) and commits; then it runs each handler outside any
transaction and marks the row done. A worker killed inside a handler leaves
the row pending with its lease, and the next drain after the lease runs it
again: delivery is at least once. Handlers are written so a second run finds
nothing left to do (they take ids, re-read state and check it), and the
unique ``dedupe_key`` means the same work is never queued twice: the effect
happens once. One email per row keeps the only window for a duplicate (killed
after the mail server accepted, before the row was marked done) to one email.

A failing handler is retried with back-off up to ``OUTBOX_MAX_ATTEMPTS``, then
marked failed for staff (Django admin → Core → Outbox messages). The drain is
a periodic job (every minute, ``core.schedules``) and is also nudged on commit
of every enqueue, so in the usual case the work starts at once.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django_q.tasks import async_task

from .models import OutboxMessage

logger = logging.getLogger(__name__)

Status = OutboxMessage.Status


def outbox_enqueue(
    *,
    app_label: str,
    handler: str,
    payload: Mapping[str, Any],
    dedupe_key: str,
    not_before: datetime | None = None,
) -> None:
    """Record ``handler(**payload)`` to run once the current transaction commits (at most once per key).

    Call it inside the transaction of the change the work follows. A second
    call with the same ``dedupe_key`` adds nothing (``ON CONFLICT DO NOTHING``,
    so the surrounding transaction is not broken). ``not_before`` delays the
    work (a batch window: the drain leaves it until then); no nudge is sent for it.
    """
    message = OutboxMessage(app_label=app_label, handler=handler, payload=dict(payload), dedupe_key=dedupe_key[:200])
    if not_before is not None:
        message.next_attempt_at = not_before
    OutboxMessage.objects.bulk_create([message], ignore_conflicts=True)
    if not_before is None:
        transaction.on_commit(outbox_nudge, robust=True)


def outbox_nudge() -> None:
    """Ask the worker to drain now rather than at the next minute (the schedule is the safety net)."""
    if settings.OUTBOX_NUDGE:
        async_task("core.tasks.outbox_drain_due", task_name="outbox-drain")


@dataclass(frozen=True)
class DrainResult:
    done: int = 0
    retried: int = 0
    failed: int = 0


def _claim(*, now: datetime, limit: int) -> list[OutboxMessage]:
    lease = timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    with transaction.atomic():
        due = OutboxMessage.objects.filter(status=Status.PENDING, next_attempt_at__lte=now).order_by(
            "next_attempt_at", "pk"
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        claimed = list(due[:limit])
        if claimed:
            OutboxMessage.objects.filter(pk__in=[message.pk for message in claimed]).update(
                attempts=F("attempts") + 1, next_attempt_at=now + lease
            )
    return claimed


def _backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after each failure, at most an hour."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def _retry_delay(error: Exception, attempts: int) -> timedelta:
    """The back-off, or longer when the failure says how long to wait (a provider's ``Retry-After``,
    carried as ``retry_after`` seconds on the exception; at most a day)."""
    delay = _backoff(attempts)
    wait = getattr(error, "retry_after", None)
    if isinstance(wait, int | float) and wait > 0:
        delay = max(delay, timedelta(seconds=min(float(wait), 86400.0)))
    return delay


def outbox_drain(*, now: datetime | None = None, limit: int | None = None) -> DrainResult:
    """Run the due messages once each; returns how many were done, will be retried, gave up."""
    now = now or timezone.now()
    done = retried = failed = 0
    for message in _claim(now=now, limit=limit or settings.OUTBOX_BATCH_SIZE):
        attempts = message.attempts + 1
        try:
            import_string(message.handler)(**message.payload)
        except Exception as error:  # any failure is retried; the worker itself must go on
            logger.exception("Outbox %s (%s) failed on attempt %s", message.pk, message.handler, attempts)
            gave_up = attempts >= settings.OUTBOX_MAX_ATTEMPTS
            OutboxMessage.objects.filter(pk=message.pk, status=Status.PENDING).update(
                status=Status.FAILED if gave_up else Status.PENDING,
                next_attempt_at=timezone.now() + _retry_delay(error, attempts),
                last_error=f"{type(error).__name__}: {error}"[:2000],
            )
            failed += gave_up
            retried += not gave_up
            continue
        OutboxMessage.objects.filter(pk=message.pk, status=Status.PENDING).update(
            status=Status.DONE, done_at=timezone.now(), last_error=""
        )
        done += 1
    return DrainResult(done=done, retried=retried, failed=failed)


def outbox_purge(*, now: datetime | None = None) -> int:
    """Delete messages done more than ``OUTBOX_KEEP_DAYS`` ago; returns how many.

    A dedupe key is remembered that long: a duplicate asked for later than
    that would run again, which no producer does (webhook redeliveries stop
    after three days).
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.OUTBOX_KEEP_DAYS)
    return OutboxMessage.objects.filter(status=Status.DONE, done_at__lt=cutoff).delete()[0]
