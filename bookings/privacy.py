"""Time's part of a person's data: bookings (as learner or expert) with their notes, questionnaires,
resources, attendance, provider events, recordings, reports, and calendars (registered in ``ready``).

Calendar secrets (feed tokens, ICS addresses, OAuth tokens) are never exported: only what the
person would recognise (a name, a hint, the provider and account). Erasure keeps the booking rows
(payments and the ledger refer to them) but empties every free text and deletes files.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import privacy

from .models import (
    AttendanceEvent,
    Booking,
    CalendarFeed,
    ConnectedCalendar,
    ExpertCalendar,
    ImportedBusy,
    Message,
    MessageReport,
    MoveProposal,
    ProviderEvent,
    QuestionnaireAnswer,
    Recording,
    RecordingConsent,
    SessionNote,
    SessionReport,
    SessionResource,
    Thread,
)
from .privacy_messages import erase_messages, export_messages
from .services.holds import booking_release_hold

BOOKING_FIELDS = (
    "id",
    "learner_id",
    "expert_id",
    "start",
    "end",
    "status",
    "amount_minor",
    "currency",
    "goals_note",
    "video_provider",
    "confirmed_at",
    "cancelled_at",
    "refund_minor",
    "reschedule_count",
    "created_at",
)


def _mine(user) -> Q:
    return Q(booking__learner=user) | Q(booking__expert=user)


def _bookings(user) -> Iterator[dict[str, Any]]:
    rows = Booking.objects.filter(Q(learner=user) | Q(expert=user)).order_by("start").values(*BOOKING_FIELDS)
    for row in rows.iterator(chunk_size=2000):
        row["role"] = "learner" if row["learner_id"] == user.pk else "expert"
        yield row


def export(*, user) -> dict[str, Any]:
    conversations = export_messages(user)
    return {
        "bookings": _bookings(user),
        "message_threads": conversations["threads"],
        "message_reports": conversations["reports"],
        "questionnaire_answers": QuestionnaireAnswer.objects.filter(booking__learner=user)
        .values("booking_id", "position", "question", "answer", "answered_at")
        .iterator(),
        # The person's own notes, and the notes the other side shared with them.
        "session_notes": SessionNote.objects.filter(Q(author=user) | (_mine(user) & Q(shared=True)))
        .values("booking_id", "author_id", "shared", "body", "updated_at")
        .iterator(),
        "session_resources": SessionResource.objects.filter(_mine(user))
        .values("booking_id", "kind", "title", "url", "content_type", "size", "created_at")
        .iterator(),
        "attendance_events": AttendanceEvent.objects.filter(user=user)
        .values("booking_id", "kind", "source", "at")
        .iterator(),
        "provider_events": ProviderEvent.objects.filter(_mine(user))
        .values("booking_id", "provider", "event", "participant_name", "participant_email", "at")
        .iterator(),
        "move_proposals": MoveProposal.objects.filter(_mine(user))
        .values("booking_id", "start", "end", "status", "created_at", "decided_at")
        .iterator(),
        "recording_consents": RecordingConsent.objects.filter(user=user)
        .values("booking_id", "given_at", "withdrawn_at")
        .iterator(),
        "recordings": Recording.objects.filter(_mine(user))
        .values("booking_id", "source", "content_type", "size", "created_at")
        .iterator(),
        "session_reports": SessionReport.objects.filter(reporter=user)
        .values("booking_id", "role", "kind", "text", "created_at")
        .iterator(),
        # Secrets (token, address, OAuth tokens) are never exported: only what identifies the calendar.
        "calendar_feed": CalendarFeed.objects.filter(user=user).values("created_at").iterator(),
        "imported_calendars": ExpertCalendar.objects.filter(profile__user=user)
        .values("name", "url_hint", "last_success_at", "busy_count", "created")
        .iterator(),
        "connected_calendars": ConnectedCalendar.objects.filter(expert=user)
        .values("provider", "account_email", "calendar_id", "status", "last_synced_at", "created_at")
        .iterator(),
    }


def files(*, user):
    for resource in SessionResource.objects.filter(_mine(user)).exclude(file=""):
        yield (
            f"booking-{resource.booking_id}-{resource.file.name.rsplit('/', 1)[-1]}",
            (resource.file.storage),
            resource.file.name,
        )
    # Attachments the person sent in messages (what others sent them is listed, not copied).
    for message in Message.objects.filter(sender=user).exclude(attachment=""):
        yield (
            f"message-{message.pk}-{message.attachment.name.rsplit('/', 1)[-1]}",
            message.attachment.storage,
            message.attachment.name,
        )


def _upcoming(user, now) -> Any:
    return Booking.objects.filter(Q(learner=user) | Q(expert=user), status=Booking.Status.CONFIRMED, start__gt=now)


def blockers(*, user, now) -> list[str]:
    open_reports = (
        SessionReport.objects.filter(_mine(user))
        .filter(Q(booking__session_decision__isnull=True) | Q(booking__session_decision__settled_at__isnull=True))
        .values("booking_id")
        .distinct()
        .count()
    )
    if open_reports:
        return [
            ngettext(
                "A report about %(count)d session is still open; we can erase your account once it is decided.",
                "Reports about %(count)d sessions are still open; we can erase your account once they are decided.",
                open_reports,
            )
            % {"count": open_reports}
        ]
    return []


def consequences(*, user, now) -> list[str]:
    messages = []
    upcoming = _upcoming(user, now).count()
    if upcoming:
        messages.append(
            ngettext(
                "%(count)d upcoming session will be cancelled, with the refund its cancellation policy gives.",
                "%(count)d upcoming sessions will be cancelled, with the refund their cancellation policy gives.",
                upcoming,
            )
            % {"count": upcoming}
        )
    if Recording.objects.filter(_mine(user)).exists():
        messages.append(_("Recordings of your sessions will be deleted."))
    return messages


def prepare(*, user, now) -> None:
    """Unpaid holds are released (paid sessions are cancelled with refunds by billing's part)."""

    for booking in Booking.objects.filter(learner=user, status=Booking.Status.HELD):
        booking_release_hold(booking=booking, now=now)


def erase(*, user, pseudonym: str) -> None:
    mine = _mine(user)
    Booking.objects.filter(learner=user).update(goals_note="")
    QuestionnaireAnswer.objects.filter(booking__learner=user).update(answer="")
    SessionNote.objects.filter(author=user).delete()
    SessionReport.objects.filter(reporter=user).update(text="")
    ProviderEvent.objects.filter(mine).update(participant_email="", participant_name="", data={})
    for resource in SessionResource.objects.filter(booking__expert=user).exclude(file=""):
        resource.file.delete(save=False)
    SessionResource.objects.filter(booking__expert=user).delete()
    for recording in Recording.objects.filter(mine).exclude(file=""):
        recording.file.delete(save=False)
    Recording.objects.filter(mine).delete()
    CalendarFeed.objects.filter(user=user).delete()
    ExpertCalendar.objects.filter(profile__user=user).delete()
    ImportedBusy.objects.filter(expert=user).delete()
    ConnectedCalendar.objects.filter(expert=user).delete()
    erase_messages(user)
    # The report stays for moderation; its free text (which may name people) goes.
    MessageReport.objects.filter(reporter=user).update(reason="[erased]")


def register() -> None:
    privacy.register(
        "bookings",
        export=export,
        erase=erase,
        files=files,
        blockers=blockers,
        consequences=consequences,
        prepare=prepare,
        models=[
            Booking,
            AttendanceEvent,
            SessionReport,
            CalendarFeed,
            ImportedBusy,
            ConnectedCalendar,
            RecordingConsent,
            Recording,
            SessionNote,
            Thread,
            Message,
            MessageReport,
        ],
    )
