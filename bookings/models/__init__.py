from .availability import DateOverride, Weekday, WeeklyHours
from .booking import Booking
from .proposals import MoveProposal
from .refund_policy import REFUND_TERMS, ExpertRefundPolicy, RefundTerms, RefundTier, expert_refund_terms, refund_terms
from .reminders import Reminder
from .video import ExpertVideoSetting, ProviderEvent, VideoProviderName

__all__ = [
    "REFUND_TERMS",
    "Booking",
    "DateOverride",
    "ExpertRefundPolicy",
    "ExpertVideoSetting",
    "MoveProposal",
    "ProviderEvent",
    "RefundTerms",
    "Reminder",
    "RefundTier",
    "VideoProviderName",
    "Weekday",
    "WeeklyHours",
    "expert_refund_terms",
    "refund_terms",
]
