"""django-q2 tasks of the catalogue (listed in core.schedules.SCHEDULES)."""

from .services.verifications import verification_expiry_reminders_queue


def remind_expiring_credentials() -> int:
    """Daily: email experts 30 days before a checked credential drops off their public page."""
    return verification_expiry_reminders_queue()
