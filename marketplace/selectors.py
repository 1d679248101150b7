"""Reads for the marketplace, each a fixed number of queries."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q

from .models import Booking
from .scheduling import Interval


def booking_busy_intervals(
    *, expert_id: int, learner_id: int, begin: datetime, end: datetime, now: datetime
) -> tuple[list[Interval], list[Interval], list[Interval]]:
    """For a hold request, in one query: the expert's confirmed bookings and live holds
    overlapping [begin, end) (for the slot engine), and the learner's own sessions there."""
    rows = Booking.objects.filter(
        Q(expert_id=expert_id) | Q(learner_id=learner_id),
        status__in=Booking.SLOT_HOLDING,
        start__lt=end,
        end__gt=begin,
    ).values_list("start", "end", "status", "hold_expires_at", "expert_id", "learner_id")
    bookings, holds, learner_sessions = [], [], []
    for start, finish, status, expires, row_expert, row_learner in rows:
        live = status == Booking.Status.CONFIRMED or (expires is not None and expires > now)
        if not live:
            continue
        if row_expert == expert_id:
            (bookings if status == Booking.Status.CONFIRMED else holds).append(Interval(start, finish))
        if row_learner == learner_id:
            learner_sessions.append(Interval(start, finish))
    return bookings, holds, learner_sessions
