from .availability import expert_availability
from .booking import booking_detail, booking_join, booking_rehold, booking_start
from .dashboards import expert_dashboard, learner_dashboard
from .proposals import booking_proposal, booking_propose_time
from .reschedule import booking_reschedule_view
from .webhooks import zoom_webhook

__all__ = [
    "booking_detail",
    "booking_join",
    "booking_proposal",
    "booking_propose_time",
    "booking_rehold",
    "booking_reschedule_view",
    "booking_start",
    "expert_availability",
    "expert_dashboard",
    "learner_dashboard",
    "zoom_webhook",
]
