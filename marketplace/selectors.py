"""Reads for the marketplace, each a fixed number of queries."""

from __future__ import annotations

from datetime import datetime

from .models import Booking
from .scheduling import Interval


def booking_busy_intervals(
    *, expert_id: int, begin: datetime, end: datetime, now: datetime
) -> tuple[list[Interval], list[Interval]]:
    """(confirmed bookings, live holds) of an expert overlapping [begin, end), for the slot engine. One query."""
    rows = Booking.objects.filter(
        expert_id=expert_id, status__in=Booking.SLOT_HOLDING, start__lt=end, end__gt=begin
    ).values_list("start", "end", "status", "hold_expires_at")
    bookings, holds = [], []
    for start, finish, status, expires in rows:
        if status == Booking.Status.CONFIRMED:
            bookings.append(Interval(start, finish))
        elif expires is not None and expires > now:
            holds.append(Interval(start, finish))
    return bookings, holds
