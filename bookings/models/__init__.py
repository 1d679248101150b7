from .availability import DateOverride, Weekday, WeeklyHours
from .booking import Booking
from .proposals import MoveProposal
from .recordings import Recording, RecordingConsent
from .refund_policy import REFUND_TERMS, ExpertRefundPolicy, RefundTerms, RefundTier, expert_refund_terms, refund_terms
from .reminders import Reminder

__all__ = [
    "REFUND_TERMS",
    "Booking",
    "DateOverride",
    "ExpertRefundPolicy",
    "MoveProposal",
    "Recording",
    "RecordingConsent",
    "RefundTerms",
    "Reminder",
    "RefundTier",
    "Weekday",
    "WeeklyHours",
    "expert_refund_terms",
    "refund_terms",
]
