from .availability import DateOverride, Weekday, WeeklyHours
from .bookings import Booking
from .categories import Category, Language
from .pages import ExpertIndexPage, ExpertPage, ExpertPageSkill
from .profiles import DURATION_CHOICES, ExpertProfile, Package, SessionType
from .search import ExpertSearchDocument

__all__ = [
    "Booking",
    "DateOverride",
    "DURATION_CHOICES",
    "Category",
    "ExpertIndexPage",
    "ExpertPage",
    "ExpertPageSkill",
    "ExpertProfile",
    "ExpertSearchDocument",
    "Language",
    "Package",
    "SessionType",
    "WeeklyHours",
    "Weekday",
]
