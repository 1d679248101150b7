"""Background jobs of notifications (django-q2), registered in core.schedules."""

from __future__ import annotations

from .announcements import announcements_email_due


def send_due_announcements() -> int:
    """Email due announcements in batches, once per person (notifications.announcements)."""
    return announcements_email_due()
