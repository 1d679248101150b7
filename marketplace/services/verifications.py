"""The public verification record over time: experts are emailed before a checked credential expires.

Expired rows need no job to drop off: the public page shows only rows whose
``expires_on`` is empty or today or later (``selectors.detail.expert_verifications``).
What the daily job adds is the warning: once per row and expiry date, 30 days
ahead (``EXPIRY_NOTICE_DAYS``), in the expert's language. The row remembers the
date it warned about (``reminded_for_expiry``) in the same transaction that
writes the outbox message, so a rerun, a second worker or a late run sends
nothing twice, and a row whose expiry date staff change later is warned again.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from core.outbox import outbox_enqueue
from notifications.services import email_send

from ..models import ExpertVerification

EXPIRY_NOTICE_DAYS = 30
BATCH = 500


def verification_expiry_reminders_queue(*, today: date | None = None) -> int:
    """Queue one email per verification expiring within the notice period that was not warned yet; returns how many."""
    today = today or timezone.localdate()
    due = ExpertVerification.objects.filter(
        expires_on__gte=today, expires_on__lte=today + timedelta(days=EXPIRY_NOTICE_DAYS)
    ).filter(Q(reminded_for_expiry__isnull=True) | ~Q(reminded_for_expiry=F("expires_on")))
    queued = 0
    for pk in list(due.values_list("pk", flat=True)[:BATCH]):
        with transaction.atomic():
            row = ExpertVerification.objects.select_for_update().filter(pk=pk).first()
            if row is None or row.expires_on is None or row.reminded_for_expiry == row.expires_on:
                continue  # another run took it meanwhile
            row.reminded_for_expiry = row.expires_on
            row.save(update_fields=["reminded_for_expiry"])
            outbox_enqueue(
                app_label="marketplace",
                handler="marketplace.services.verifications.verification_expiry_email_deliver",
                payload={"verification_id": row.pk, "expires_on": row.expires_on.isoformat()},
                dedupe_key=f"verification-expiry-{row.pk}-{row.expires_on.isoformat()}",
            )
            queued += 1
    return queued


def verification_expiry_email_deliver(*, verification_id: int, expires_on: str) -> int:
    """Outbox handler: the warning, only if the row still expires on that day."""
    row = (
        ExpertVerification.objects.select_related("profile__user")
        .filter(pk=verification_id, expires_on=expires_on)
        .first()
    )
    if row is None:
        return 0
    user = row.profile.user
    email_send(
        to=user.email,
        template="credential_expiring",
        context={"user": user, "verification": row},
        language=user.preferred_language,
    )
    return 1
