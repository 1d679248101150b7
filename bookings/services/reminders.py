"""Session reminders: planned with the session, sent once when due by a periodic job through the outbox.

Planning happens in the transaction that confirms or moves the booking, so a
reminder exists exactly when the session does. The job reads only planned rows
in the due window (a partial index on ``due_at``), claims them with ``SKIP
LOCKED`` so two runs at once never take the same row, checks the session is
still confirmed at the planned time, and writes one outbox message per
participant in the same transaction that marks the reminder sent: a worker
killed mid-run leaves either nothing done (the rows are still planned) or
everything done (the outbox delivers what was written).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import F, Q
from django.utils import timezone

from core.locking import locked_transaction
from core.outbox import outbox_enqueue
from notifications.services import users_with_sms_reminders

from ..models import Booking, Reminder
from .emails import ROLES

# A reminder that could not go out within this long after it was due is not sent any more
# (the worker was down): it would arrive too late to help. Also the lower edge of the scan.
REMINDER_LATEST = timedelta(minutes=50)
# How many due reminders one run claims; the next run (or the same one looping) takes the rest.
REMINDER_BATCH = 500


def reminders_plan(*, booking: Booking, now: datetime) -> int:
    """(Re)plan the reminders of a confirmed ``booking`` for its current start; returns how many are planned.

    Call inside the transaction that confirms or moves it. One row per (kind,
    channel): a move re-arms the existing rows for the new start (a reminder
    of the old time that was already sent is planned again for the new one);
    a kind already due at ``now`` is skipped (a session booked an hour ahead
    gets no 24-hour reminder). The text-message row exists only when at least
    one participant has a verified number and chose texts; one planned before
    a move for someone who since switched texts off is skipped.
    """
    texted = bool(users_with_sms_reminders(user_ids=[booking.learner_id, booking.expert_id]))
    planned = 0
    for channel, kinds in Reminder.CHANNEL_KINDS.items():
        for kind in kinds:
            due = booking.start - Reminder.LEAD[kind]
            status = Reminder.Status.PLANNED if due > now else Reminder.Status.SKIPPED
            if channel == Reminder.Channel.SMS and not texted:
                Reminder.objects.filter(booking=booking, kind=kind, channel=channel).update(
                    planned_start=booking.start, due_at=due, status=Reminder.Status.SKIPPED, handled_at=now
                )
                continue
            Reminder.objects.update_or_create(
                booking=booking,
                kind=kind,
                channel=channel,
                defaults={"planned_start": booking.start, "due_at": due, "status": status, "handled_at": None},
            )
            planned += status == Reminder.Status.PLANNED
    return planned


def reminders_plan_texts_for(*, user_id: int, now: datetime) -> int:
    """Someone can newly get texts: plan the text reminder of each of their upcoming confirmed sessions.

    Three queries however many sessions: rows that do not exist yet are
    added (``ON CONFLICT DO NOTHING``), rows skipped earlier for the current
    start are planned again; a text already sent for the current start stays
    sent. Returns how many were added or re-armed.
    """
    kind = Reminder.Kind.HOUR_BEFORE
    lead = Reminder.LEAD[kind]
    upcoming = list(
        Booking.objects.filter(
            Q(learner_id=user_id) | Q(expert_id=user_id), status=Booking.Status.CONFIRMED, start__gt=now + lead
        ).values_list("pk", "start")
    )
    if not upcoming:
        return 0
    created = Reminder.objects.bulk_create(
        [
            Reminder(booking_id=pk, kind=kind, channel=Reminder.Channel.SMS, planned_start=start, due_at=start - lead)
            for pk, start in upcoming
        ],
        ignore_conflicts=True,
    )
    rearmed = Reminder.objects.filter(
        booking_id__in=[pk for pk, _start in upcoming],
        kind=kind,
        channel=Reminder.Channel.SMS,
        status=Reminder.Status.SKIPPED,
        planned_start=F("booking__start"),
    ).update(status=Reminder.Status.PLANNED, handled_at=None)
    return len(created) + rearmed


def reminders_due_query(*, now: datetime):
    """The planned reminders due now: ``due_at`` in (now - REMINDER_LATEST, now], oldest first."""
    return Reminder.objects.filter(
        status=Reminder.Status.PLANNED, due_at__lte=now, due_at__gt=now - REMINDER_LATEST
    ).order_by("due_at")


# The outbox handler of each channel: one participant's reminder.
HANDLERS = {
    Reminder.Channel.EMAIL: "bookings.tasks.send_booking_reminder",
    Reminder.Channel.SMS: "bookings.tasks.send_booking_reminder_sms",
}


def _texted_among(due: list[Reminder]) -> set[int]:
    """The participants of the due text reminders who get texts (one query, none without text reminders)."""
    people = {
        person
        for reminder in due
        if reminder.channel == Reminder.Channel.SMS
        for person in (reminder.booking.learner_id, reminder.booking.expert_id)
    }
    return set(users_with_sms_reminders(user_ids=people)) if people else set()


def reminders_send_due(*, now: datetime | None = None) -> int:
    """The periodic job: hand every due reminder to the outbox once; returns how many were sent.

    Skipped (never sent): the session is no longer confirmed (cancelled,
    completed) or no longer at the planned time (moved), or it has begun.
    """
    now = now or timezone.now()
    sent = 0
    while True:
        with locked_transaction():
            due = list(
                reminders_due_query(now=now)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("booking")[:REMINDER_BATCH]
            )
            if not due:
                return sent
            sent_ids, skipped_ids = [], []
            texted = _texted_among(due)
            for reminder in due:
                booking = reminder.booking
                current = (
                    booking.status == Booking.Status.CONFIRMED
                    and booking.start == reminder.planned_start
                    and booking.start > now
                )
                if not current:
                    skipped_ids.append(reminder.pk)
                    continue
                stamp = int(reminder.planned_start.timestamp())
                roles = [
                    role
                    for role in ROLES
                    # A text only to people who get texts now; the handler checks again when it sends.
                    if reminder.channel != Reminder.Channel.SMS
                    or (booking.learner_id if role == "learner" else booking.expert_id) in texted
                ]
                for role in roles:
                    outbox_enqueue(
                        app_label="bookings",
                        handler=HANDLERS[reminder.channel],
                        payload={"reminder_id": reminder.pk, "role": role, "planned_start": stamp},
                        dedupe_key=f"reminder-{reminder.pk}-{stamp}-{role}",
                    )
                # A text nobody gets any more (both switched texts off since it was planned) is skipped.
                (sent_ids if roles else skipped_ids).append(reminder.pk)
            Reminder.objects.filter(pk__in=sent_ids).update(status=Reminder.Status.SENT, handled_at=now)
            Reminder.objects.filter(pk__in=skipped_ids).update(status=Reminder.Status.SKIPPED, handled_at=now)
            sent += len(sent_ids)
            if len(due) < REMINDER_BATCH:
                return sent
