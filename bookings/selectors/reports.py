"""Reads for staff: how often each expert cancelled sessions."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Q, QuerySet

from ..models import Booking

# The window of the "recent" column: cancellations staff should still act on.
RECENT_DAYS = 90


def expert_cancellation_counts(*, now: datetime) -> QuerySet:
    """Experts who cancelled at least one session, with ``cancelled_total``, ``cancelled_recent`` (the
    last ``RECENT_DAYS``) and ``last_cancelled_at``; most recent cancellers first. One query."""
    cancelled = Q(bookings_as_expert__status=Booking.Status.CANCELLED_BY_EXPERT)
    recent = cancelled & Q(bookings_as_expert__cancelled_at__gte=now - timedelta(days=RECENT_DAYS))
    return (
        get_user_model()
        .objects.annotate(
            cancelled_total=Count("bookings_as_expert", filter=cancelled),
            cancelled_recent=Count("bookings_as_expert", filter=recent),
            last_cancelled_at=Max("bookings_as_expert__cancelled_at", filter=cancelled),
        )
        .filter(cancelled_total__gt=0)
        .order_by("-cancelled_recent", "-cancelled_total", "pk")
    )
