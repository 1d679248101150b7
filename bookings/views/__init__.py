from .availability import expert_availability
from .booking import booking_detail, booking_join, booking_rehold, booking_start
from .dashboards import expert_dashboard, learner_dashboard
from .reschedule import booking_reschedule_view

__all__ = [
    "booking_detail",
    "booking_join",
    "booking_rehold",
    "booking_reschedule_view",
    "booking_start",
    "expert_availability",
    "expert_dashboard",
    "learner_dashboard",
]
