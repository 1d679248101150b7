from .attendance import AttendanceEvent, SessionDecision, SessionReport
from .availability import DateOverride, Weekday, WeeklyHours
from .booking import Booking
from .calendar_feed import CalendarFeed
from .calendars import ExpertCalendar, ImportedBusy
from .connected_calendars import ConnectedCalendar, ConnectedCalendarEvent
from .messages import ExpertMessagingSetting, Message, MessageReport, Thread
from .proposals import MoveProposal
from .recordings import Recording, RecordingConsent
from .refund_policy import REFUND_TERMS, ExpertRefundPolicy, RefundTerms, RefundTier, expert_refund_terms, refund_terms
from .reminders import Reminder
from .session_tools import QuestionnaireAnswer, SessionNote, SessionResource
from .video import ExpertVideoSetting, ProviderEvent, VideoProviderName

__all__ = [
    "REFUND_TERMS",
    "AttendanceEvent",
    "Booking",
    "CalendarFeed",
    "ConnectedCalendar",
    "ConnectedCalendarEvent",
    "DateOverride",
    "ExpertCalendar",
    "ExpertRefundPolicy",
    "ExpertMessagingSetting",
    "ExpertVideoSetting",
    "ImportedBusy",
    "Message",
    "MessageReport",
    "MoveProposal",
    "ProviderEvent",
    "Recording",
    "RecordingConsent",
    "RefundTerms",
    "QuestionnaireAnswer",
    "Reminder",
    "SessionNote",
    "SessionResource",
    "Thread",
    "RefundTier",
    "SessionDecision",
    "SessionReport",
    "VideoProviderName",
    "Weekday",
    "WeeklyHours",
    "expert_refund_terms",
    "refund_terms",
]
