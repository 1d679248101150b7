"""Every change to availability and bookings.

``availability`` (weekly hours, days off, policy), ``holds`` (hold, hold again,
release, expire), ``lifecycle`` (confirm, cancel, complete), ``next_free`` (the
denormalised next free time) and ``emails`` (what the participants are told).
"""

from .availability import (
    day_off_add,
    day_off_remove,
    refund_policy_set,
    scheduling_policy_update,
    weekly_hours_replace,
)
from .holds import (
    booking_expire_holds,
    booking_goals_set,
    booking_hold,
    booking_hold_again,
    booking_release_hold,
)
from .lifecycle import (
    booking_cancel,
    booking_cancel_by_expert,
    booking_cancel_refunded,
    booking_complete_past,
    booking_confirm,
    booking_mark_disputed,
)
from .proposals import booking_move_accept, booking_move_decline, booking_move_propose
from .reschedule import booking_reschedule
from .video_rooms import video_provider_set

__all__ = [
    "booking_cancel",
    "booking_cancel_by_expert",
    "booking_cancel_refunded",
    "booking_complete_past",
    "booking_confirm",
    "booking_expire_holds",
    "booking_goals_set",
    "booking_hold",
    "booking_hold_again",
    "booking_mark_disputed",
    "booking_move_accept",
    "booking_move_decline",
    "booking_move_propose",
    "booking_release_hold",
    "booking_reschedule",
    "day_off_add",
    "day_off_remove",
    "refund_policy_set",
    "scheduling_policy_update",
    "video_provider_set",
    "weekly_hours_replace",
]
