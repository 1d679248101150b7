"""django-q2 tasks of the bookings app. Each takes ids, calls one service and does nothing when
the state has moved on. The periodic ones are listed in ``core.schedules.SCHEDULES``."""

from .models import Booking
from .services.calendar_emails import calendar_failing_email_send, connected_calendar_failing_email_send
from .services.calendars import expert_calendar_sync, expert_calendars_sync_all
from .services.connected_busy import connected_calendar_sync, connected_calendars_sync_all
from .services.connected_calendars import (
    connected_calendars_sync_booking,
)
from .services.emails import (
    booking_cancellation_email_send,
    booking_confirmation_email_send,
    booking_reminder_email_send,
    booking_rescheduled_email_send,
    move_proposal_email_send,
)
from .services.holds import booking_expire_holds, booking_expired_holds_purge
from .services.lifecycle import booking_complete_past
from .services.messages import message_notify_send
from .services.next_free import expert_next_available_refresh_many, expert_next_available_refresh_stale
from .services.recordings import ingest_provider_recording, recordings_orphans_delete, recordings_purge_expired
from .services.reminder_texts import booking_reminder_sms_send
from .services.reminders import reminders_send_due
from .services.session_report_emails import session_decision_email_send, session_reported_email_send
from .services.session_reports import session_reports_apply_due
from .services.video_rooms import video_room_provision, video_room_sync


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


def send_booking_reminder_sms(reminder_id: int, role: str, planned_start: int) -> int:
    """Outbox handler, written by ``reminders_send_due``: one participant's text-message reminder."""
    return booking_reminder_sms_send(reminder_id=reminder_id, role=role, planned_start=planned_start)


def send_move_proposal_email(proposal_id: int, event: str) -> int:
    """Outbox handler, written by the proposal services: the learner told of a proposal, the expert of a "no"."""
    return move_proposal_email_send(proposal_id=proposal_id, event=event)


def refresh_next_available(user_ids: list[int]) -> int:
    """Queued on commit by the availability and booking services and the catalogue's signals."""
    return len(expert_next_available_refresh_many(user_ids=user_ids))


def refresh_stale_next_available() -> int:
    """Every 15 minutes: next free times the clock has overtaken or nobody refreshed for a while."""
    return expert_next_available_refresh_stale()


def apply_session_reports() -> int:
    """Every 15 minutes: uncontested no-show reports whose window closed are decided by the rules."""
    return session_reports_apply_due()


def send_session_reported(booking_id: int, role: str) -> int:
    """Outbox handler, written by ``session_report_submit``: the other side hears of the report."""
    return session_reported_email_send(booking_id=booking_id, role=role)


def send_session_decision(booking_id: int, role: str) -> int:
    """Outbox handler, written when a decision on a session's reports is settled: one participant's email."""
    return session_decision_email_send(booking_id=booking_id, role=role)


def provision_video_room(booking_id: int, provider: str) -> bool:
    """Outbox handler, written by ``booking_confirm``: the expert's Zoom or Meet meeting replaces the Jitsi room."""
    return video_room_provision(booking_id=booking_id, provider=provider)


def sync_video_room(booking_id: int) -> str:
    """Outbox handler, written when a session with a Zoom or Meet meeting is cancelled or moved."""
    return video_room_sync(booking_id=booking_id)


def sync_connected_calendars(booking_id: int) -> dict[int, str]:
    """Outbox handler, written when a session is confirmed, moved or cancelled and its expert connected calendars."""
    return connected_calendars_sync_booking(booking_id=booking_id)


def purge_expired_recordings() -> int:
    """Daily: recordings past ``RECORDING_RETENTION_DAYS`` lose their file and their row; files left
    without a row by a crash are deleted too."""
    removed = recordings_purge_expired()
    recordings_orphans_delete()
    return removed


def ingest_zoom_recording(
    booking_id: int, download_url: str, bearer_token: str, file_type: str, external_id: str
) -> bool:
    """Outbox handler, written by Zoom's ``recording.completed`` webhook: copy one file into private storage
    (only if both participants consented). A failed download raises, so the outbox retries it."""
    booking = Booking.objects.filter(pk=booking_id).first()
    if booking is None:
        return False
    stored = ingest_provider_recording(
        booking=booking,
        download_url=download_url,
        bearer_token=bearer_token,
        file_type=file_type,
        external_id=external_id,
    )
    return stored is not None


def sync_expert_calendars() -> int:
    """Every 15 minutes: one sync task per imported calendar."""
    return expert_calendars_sync_all()


def sync_expert_calendar(calendar_id: int) -> str:
    """Fetch one imported calendar and replace its busy blocks (queued by the schedule, "sync now" and adding)."""
    return expert_calendar_sync(calendar_id=calendar_id)


def send_calendar_failing(calendar_id: int) -> int:
    """Outbox handler, written at the third failure in a row: tell the expert once per failing streak."""
    return calendar_failing_email_send(calendar_id=calendar_id)


def purge_expired_holds() -> int:
    """Daily (retention): holds that lapsed unpaid long ago are deleted."""

    return booking_expired_holds_purge()


def sync_connected_calendars_busy() -> int:
    """Every 15 minutes: one busy-time task per working Google or Outlook connection."""
    return connected_calendars_sync_all()


def sync_connected_calendar(connection_id: int) -> str:
    """Read one connection's free/busy over the booking horizon and replace its busy blocks."""
    return connected_calendar_sync(connection_id=connection_id)


def send_connected_calendar_failing(connection_id: int) -> int:
    """Outbox handler, written at the third failure in a row (or a revoked grant): one email per failing streak."""
    return connected_calendar_failing_email_send(connection_id=connection_id)


def send_message_notification(thread_id: int, role: str) -> int:
    """Outbox handler, written by ``message_send`` (delayed to the batch window's end): one notification a burst."""
    return message_notify_send(thread_id=thread_id, role=role)
