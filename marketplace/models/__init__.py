from .bookings import Booking
from .categories import Category, Language
from .pages import ExpertIndexPage, ExpertPage, ExpertPageSkill
from .profiles import DURATION_CHOICES, ExpertProfile, Package, SessionType

__all__ = [
    "Booking",
    "DURATION_CHOICES",
    "Category",
    "ExpertIndexPage",
    "ExpertPage",
    "ExpertPageSkill",
    "ExpertProfile",
    "Language",
    "Package",
    "SessionType",
]
