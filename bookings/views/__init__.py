from .availability import expert_availability
from .booking import booking_detail, booking_join, booking_rehold, booking_start
from .calendar_feed import calendar_feed, calendar_feed_regenerate_view, calendar_feed_revoke_view
from .calendars import expert_calendar_remove_view, expert_calendar_sync_view, expert_calendars
from .connected_calendars import (
    connected_calendar_callback,
    connected_calendar_choose_view,
    connected_calendar_connect,
    connected_calendar_disconnect_view,
)
from .dashboards import expert_dashboard, learner_dashboard
from .messages import (
    booking_messages,
    expert_question,
    inbox,
    message_attachment,
    message_report_view,
    messaging_settings,
    thread_block_view,
    thread_view,
)
from .proposals import booking_proposal, booking_propose_time
from .recordings import booking_recording_consent, booking_recording_upload, recording_file
from .reschedule import booking_reschedule_view
from .session_reports import booking_report
from .session_tools import (
    booking_goals,
    booking_note_private,
    booking_note_shared,
    booking_questionnaire,
    booking_resources,
    session_resource_delete,
    session_resource_file,
)
from .slot_fragment import slot_fragment
from .webhooks import zoom_webhook

__all__ = [
    "booking_messages",
    "expert_question",
    "inbox",
    "message_attachment",
    "message_report_view",
    "messaging_settings",
    "thread_block_view",
    "thread_view",
    "booking_detail",
    "connected_calendar_choose_view",
    "slot_fragment",
    "booking_goals",
    "booking_note_private",
    "booking_note_shared",
    "booking_questionnaire",
    "booking_resources",
    "booking_join",
    "booking_proposal",
    "booking_propose_time",
    "booking_recording_consent",
    "booking_recording_upload",
    "booking_rehold",
    "booking_report",
    "booking_reschedule_view",
    "booking_start",
    "calendar_feed",
    "calendar_feed_regenerate_view",
    "calendar_feed_revoke_view",
    "connected_calendar_callback",
    "connected_calendar_connect",
    "connected_calendar_disconnect_view",
    "expert_availability",
    "expert_calendar_remove_view",
    "expert_calendar_sync_view",
    "expert_calendars",
    "expert_dashboard",
    "learner_dashboard",
    "session_resource_delete",
    "session_resource_file",
    "zoom_webhook",
    "recording_file",
]
