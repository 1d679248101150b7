from .bookings import booking_detail, booking_join, booking_rehold, booking_start
from .dashboards import learner_dashboard
from .expert_area import (
    expert_availability,
    expert_dashboard,
    expert_offerings,
    expert_package_delete,
    expert_package_edit,
    expert_profile_edit,
    expert_session_type_delete,
    expert_session_type_edit,
)

__all__ = [
    "booking_detail",
    "booking_join",
    "booking_rehold",
    "booking_start",
    "expert_availability",
    "expert_dashboard",
    "expert_offerings",
    "expert_package_delete",
    "expert_package_edit",
    "expert_profile_edit",
    "expert_session_type_delete",
    "expert_session_type_edit",
    "learner_dashboard",
]
