"""How often a learner may try to pay: card testing through hold → decline → hold again stops here.

``BILLING_DECLINES_PER_DAY`` declined payments (a payment that carries a
decline reason, whether it is now failed or cancelled) in the last 24 hours,
counted from the payments table in one query before a new payment is created.
Reaching it is recorded for staff (``core.limits``). Counting from the
database keeps the limit exact across web processes and needs no Redis on the
embedded demo; a learner's attempts are few, so the read is cheap.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from core.limits import limit_reached_record

from ..errors import PaymentLimitReached
from ..models import Payment


def payment_attempts_check(*, payer, now: datetime) -> None:
    """Raise ``PaymentLimitReached`` (and record it) if ``payer`` had too many declines lately (one query)."""
    declines = (
        Payment.objects.filter(payer=payer, created_at__gt=now - timedelta(hours=24)).exclude(last_error="").count()
    )
    if declines < settings.BILLING_DECLINES_PER_DAY:
        return
    limit_reached_record(user=payer, limit="declined_payments", count=declines, window_hours=24)
    raise PaymentLimitReached(
        _(
            "Several of your card payments were declined today, so paying is paused for your account "
            "for 24 hours. Nothing was charged. Please contact us if you need help."
        ),
        code="declined_payments",
    )
