"""Availability rules and the pure slot engine (no ORM, no clock, no I/O).

Everything here takes plain values and returns plain values so the same
computation serves the booking page, the booking service's validation, the
API and the benchmarks. See ``slots.py`` for how DST is handled.
"""

from .rules import Availability, DateOverride, Interval, SchedulingPolicy, WeeklyRule
from .slots import Slot, SlotUnavailable, compute_slots, iter_slots, validate_slot

__all__ = [
    "Availability",
    "DateOverride",
    "Interval",
    "SchedulingPolicy",
    "Slot",
    "SlotUnavailable",
    "WeeklyRule",
    "compute_slots",
    "iter_slots",
    "validate_slot",
]
