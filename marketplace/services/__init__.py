from .availability import (
    day_off_add,
    day_off_remove,
    scheduling_policy_update,
    weekly_hours_replace,
)
from .bookings import (
    booking_cancel,
    booking_cancellation_check,
    booking_complete_past,
    booking_confirm,
    booking_expire_holds,
    booking_goals_set,
    booking_hold,
    booking_hold_again,
    booking_is_cancellable,
    booking_release_hold,
)
from .offerings import (
    expert_profile_refresh_price_from,
    package_create,
    package_delete,
    package_update,
    session_type_create,
    session_type_delete,
    session_type_update,
)
from .photos import expert_photo_ingest
from .profiles import expert_page_submit_changes, expert_profile_create

__all__ = [
    "booking_expire_holds",
    "day_off_add",
    "day_off_remove",
    "scheduling_policy_update",
    "weekly_hours_replace",
    "booking_cancel",
    "booking_cancellation_check",
    "booking_complete_past",
    "booking_confirm",
    "booking_goals_set",
    "booking_hold",
    "booking_hold_again",
    "booking_is_cancellable",
    "booking_release_hold",
    "expert_page_submit_changes",
    "expert_photo_ingest",
    "expert_profile_create",
    "expert_profile_refresh_price_from",
    "package_create",
    "package_delete",
    "package_update",
    "session_type_create",
    "session_type_delete",
    "session_type_update",
]
