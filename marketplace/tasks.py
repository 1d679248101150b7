"""django-q2 tasks for the marketplace. Each calls one service."""

from .services import booking_expire_holds


def expire_holds() -> int:
    """Scheduled every minute: frees slots whose holds ran out unpaid."""
    return booking_expire_holds()
