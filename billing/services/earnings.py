"""Earnings become available: the scheduled release of pending shares (``earnings_release_due``).

A paid session's share is booked as pending when the learner pays. It becomes available, so the
expert can withdraw it, when all of these hold:

- the session is over and settled as paid to the expert (``completed``, or ``no_show_learner``);
- the hold period (``PlatformSettings.hold_days``, default 7) has passed since its end, and so has
  the no-show report window (``BOOKING_REPORT_WINDOW_HOURS``);
- no report on the session waits for a staff decision, and its payment is not in an open dispute.

The job takes no arguments and books only ledger entries, one ``payment-<id>:release`` posting per
payment (a unique reference): running it twice, or on two workers at once, books nothing twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from bookings.models import Booking, SessionReport

from ..models import LedgerTransaction, Payment, PlatformSettings
from .ledger import ledger_release_payment

logger = logging.getLogger(__name__)

# Settled in the expert's favour (a split decision ends "completed" with part refunded).
RELEASABLE_BOOKING_STATES = (Booking.Status.COMPLETED, Booking.Status.NO_SHOW_LEARNER)
BATCH = 500


def earnings_release_cutoff(*, now: datetime, hold_days: int) -> datetime:
    """Sessions that ended before this may be released."""
    wait = max(timedelta(days=hold_days), timedelta(hours=settings.BOOKING_REPORT_WINDOW_HOURS))
    return now - wait


def earnings_releasable_payments(*, now: datetime, hold_days: int):
    """Paid payments whose share may be released now and was not yet (one query)."""
    open_report = SessionReport.objects.filter(booking=OuterRef("booking"), booking__session_decision__isnull=True)
    released = LedgerTransaction.objects.filter(
        reference=Concat(Value("payment-"), Cast(OuterRef("pk"), CharField()), Value(":release"))
    )
    return (
        Payment.objects.filter(
            status=Payment.Status.SUCCEEDED,
            booking__status__in=RELEASABLE_BOOKING_STATES,
            booking__end__lte=earnings_release_cutoff(now=now, hold_days=hold_days),
        )
        .exclude(dispute_status=Payment.DisputeStatus.OPEN)
        .exclude(Exists(open_report))
        .exclude(Exists(released))
        .order_by("pk")
    )


def earnings_release_due(*, now: datetime | None = None, limit: int = BATCH) -> int:
    """Release every due share (at most ``limit`` per run; the next run takes the rest). Returns how many."""
    now = now or timezone.now()
    hold_days = PlatformSettings.load().hold_days
    ids = list(earnings_releasable_payments(now=now, hold_days=hold_days).values_list("pk", flat=True)[:limit])
    released = 0
    for payment_id in ids:
        if ledger_release_payment(reference=f"payment-{payment_id}") is not None:
            released += 1
    if released:
        logger.info("Released the pending earnings of %s payment(s).", released)
    return released
