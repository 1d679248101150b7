from .availability import expert_availability
from .booking import booking_detail, booking_join, booking_rehold, booking_start
from .dashboards import expert_dashboard, learner_dashboard
from .proposals import booking_proposal, booking_propose_time
from .recordings import booking_recording_consent, booking_recording_upload, recording_file
from .reschedule import booking_reschedule_view

__all__ = [
    "booking_detail",
    "booking_join",
    "booking_proposal",
    "booking_propose_time",
    "booking_recording_consent",
    "booking_recording_upload",
    "booking_rehold",
    "booking_reschedule_view",
    "booking_start",
    "expert_availability",
    "expert_dashboard",
    "learner_dashboard",
    "recording_file",
]
