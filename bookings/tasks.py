"""django-q2 tasks of the bookings app. Each takes ids, calls one service and does nothing when
the state has moved on. The periodic ones are listed in ``core.schedules.SCHEDULES``."""

from .services.emails import (
    booking_cancellation_email_send,
    booking_confirmation_email_send,
    booking_reminder_email_send,
    booking_rescheduled_email_send,
    move_proposal_email_send,
)
from .services.holds import booking_expire_holds
from .services.lifecycle import booking_complete_past
from .services.next_free import expert_next_available_refresh_many, expert_next_available_refresh_stale
from .services.recordings import recordings_orphans_delete, recordings_purge_expired
from .services.reminders import reminders_send_due


def expire_holds() -> int:
    """Every minute: frees slots whose holds ran out unpaid."""
    return booking_expire_holds()


def complete_past_sessions() -> int:
    """Every 15 minutes: confirmed sessions that have ended become completed."""
    return booking_complete_past()


def send_booking_confirmation(booking_id: int, role: str) -> int:
    """Outbox handler, written by ``booking_confirm``: one participant's confirmation email."""
    return booking_confirmation_email_send(booking_id=booking_id, role=role)


def send_booking_cancellation(booking_id: int, role: str) -> int:
    """Outbox handler, written by ``booking_cancel``: one participant's cancellation email."""
    return booking_cancellation_email_send(booking_id=booking_id, role=role)


def send_booking_rescheduled(booking_id: int, role: str, sequence: int, previous_start: str) -> int:
    """Outbox handler, written by ``booking_reschedule``: one participant's email with the updated invite."""
    return booking_rescheduled_email_send(
        booking_id=booking_id, role=role, sequence=sequence, previous_start=previous_start
    )


def send_due_reminders() -> int:
    """Every 5 minutes: reminders due now go to the outbox, once each."""
    return reminders_send_due()


def send_booking_reminder(reminder_id: int, role: str, planned_start: int) -> int:
    """Outbox handler, written by ``reminders_send_due``: one participant's reminder email."""
    return booking_reminder_email_send(reminder_id=reminder_id, role=role, planned_start=planned_start)


def send_move_proposal_email(proposal_id: int, event: str) -> int:
    """Outbox handler, written by the proposal services: the learner told of a proposal, the expert of a "no"."""
    return move_proposal_email_send(proposal_id=proposal_id, event=event)


def refresh_next_available(user_ids: list[int]) -> int:
    """Queued on commit by the availability and booking services and the catalogue's signals."""
    return len(expert_next_available_refresh_many(user_ids=user_ids))


def refresh_stale_next_available() -> int:
    """Every 15 minutes: next free times the clock has overtaken or nobody refreshed for a while."""
    return expert_next_available_refresh_stale()


def purge_expired_recordings() -> int:
    """Daily: recordings past ``RECORDING_RETENTION_DAYS`` lose their file and their row; files left
    without a row by a crash are deleted too."""
    removed = recordings_purge_expired()
    recordings_orphans_delete()
    return removed
