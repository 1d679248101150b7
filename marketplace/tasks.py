"""django-q2 tasks for the marketplace. Each calls one service."""

from .services import booking_complete_past, booking_expire_holds


def expire_holds() -> int:
    """Scheduled every minute: frees slots whose holds ran out unpaid."""
    return booking_expire_holds()


def complete_past_sessions() -> int:
    """Scheduled every 15 minutes: confirmed sessions that have ended become completed."""
    return booking_complete_past()


def send_booking_confirmation(booking_id: int) -> int:
    """Queued on commit by ``booking_confirm``: the learner's and the expert's emails."""
    from .services.booking_emails import booking_confirmation_emails_send

    return booking_confirmation_emails_send(booking_id=booking_id)


def send_booking_cancellation(booking_id: int) -> int:
    """Queued on commit by ``booking_cancel``: the learner's and the expert's emails."""
    from .services.booking_emails import booking_cancellation_emails_send

    return booking_cancellation_emails_send(booking_id=booking_id)


def refresh_next_available(user_ids: list[int]) -> int:
    """Queued on commit by the availability, offering and booking services: these experts' next free time."""
    from .services.availability import expert_next_available_refresh_many

    return len(expert_next_available_refresh_many(user_ids=user_ids))


def refresh_stale_next_available() -> int:
    """Scheduled every 15 minutes: next free times the clock has overtaken or nobody refreshed for a while."""
    from .services.availability import expert_next_available_refresh_stale

    return expert_next_available_refresh_stale()
