from .availability import DateOverride, Weekday, WeeklyHours
from .booking import Booking

__all__ = ["Booking", "DateOverride", "Weekday", "WeeklyHours"]
