from .availability import expert_availability
from .booking import booking_detail, booking_join, booking_rehold, booking_start
from .dashboards import expert_dashboard, learner_dashboard

__all__ = [
    "booking_detail",
    "booking_join",
    "booking_rehold",
    "booking_start",
    "expert_availability",
    "expert_dashboard",
    "learner_dashboard",
]
