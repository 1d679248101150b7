"""The learner's goals note and questionnaire answers, and both participants' notes.

Each write locks the booking's row first and rereads its state under the lock,
so a session that starts, is cancelled or moves meanwhile is judged as it is
now, not as the page showed it.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.locking import locked_transaction

from ..errors import NoteChanged, SessionToolError
from ..models import Booking, QuestionnaireAnswer, SessionNote
from ..models.session_tools import ANSWER_MAX_LENGTH, NOTE_MAX_LENGTH, before_start, tools_open
from ..selectors.session_tools import QuestionRow, questionnaire_rows

GOALS_MAX_LENGTH = 2000


def _locked(booking: Booking) -> Booking:
    locked = Booking.objects.select_for_update().filter(pk=booking.pk).first()
    if locked is None:
        raise SessionToolError(_("This session no longer exists."), code="gone")
    return locked


def _text(value: str, *, limit: int) -> str:
    """Line endings made ``\\n``; NUL and other control characters (never typed, and PostgreSQL
    refuses NUL in text) refused with the rest of the text unchanged."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    if any(ord(char) < 32 and char not in "\n\t" for char in text):
        raise SessionToolError(_("The text contains characters that cannot be stored."), code="control")
    if len(text) > limit:
        raise SessionToolError(
            _("The text is %(n)s characters long; the limit is %(limit)s.") % {"n": len(text), "limit": limit},
            code="too_long",
        )
    return text


def _not_before_start() -> SessionToolError:
    return SessionToolError(
        _("This can only be changed before the session starts, for a confirmed session."), code="not_before_start"
    )


@locked_transaction()
def booking_goals_update(*, booking: Booking, by, goals_note: str, now: datetime | None = None) -> Booking:
    """The learner edits what they want from the session, until it starts; the expert reads it."""
    now = now or timezone.now()
    locked = _locked(booking)
    if locked.learner_id != by.pk:
        raise SessionToolError(_("Only the learner writes the goals of a session."), code="not_learner")
    if not before_start(locked, now):
        raise _not_before_start()
    note = _text(goals_note, limit=GOALS_MAX_LENGTH).strip()
    Booking.objects.filter(pk=locked.pk).update(goals_note=note, updated_at=now)
    booking.goals_note = note
    return booking


@locked_transaction()
def booking_answers_save(
    *, booking: Booking, by, answers: dict[int, str], now: datetime | None = None
) -> list[QuestionRow]:
    """The learner answers the expert's questions (after paying, before the start).

    The first save copies each question's text and "required" onto the booking; later
    saves update the answers to those copied questions, so the expert editing their
    questionnaire never changes what this learner is answering.
    """
    now = now or timezone.now()
    locked = _locked(booking)
    if locked.learner_id != by.pk:
        raise SessionToolError(_("Only the learner answers the questionnaire."), code="not_learner")
    if not before_start(locked, now):
        raise _not_before_start()
    rows = questionnaire_rows(booking=locked)
    if not rows:
        raise SessionToolError(_("This expert asks no questions."), code="no_questions")
    cleaned: dict[int, str] = {}
    for row in rows:
        text = _text(answers.get(row.position, ""), limit=ANSWER_MAX_LENGTH).strip()
        if row.required and not text:
            raise SessionToolError(
                _("Please answer the required question: %(question)s") % {"question": row.question}, code="required"
            )
        cleaned[row.position] = text
    if rows[0].answered:
        for row in rows:
            QuestionnaireAnswer.objects.filter(booking=locked, position=row.position).update(
                answer=cleaned[row.position], answered_at=now
            )
    else:
        QuestionnaireAnswer.objects.bulk_create(
            QuestionnaireAnswer(
                booking=locked,
                position=row.position,
                question=row.question,
                required=row.required,
                answer=cleaned[row.position],
            )
            for row in rows
        )
    return questionnaire_rows(booking=locked)


@locked_transaction()
def session_note_save(
    *, booking: Booking, by, shared: bool, body: str, version: int, now: datetime | None = None
) -> SessionNote:
    """Save a participant's private note, or the expert's shared note, edited from ``version``.

    ``version`` is the version the editor loaded (0: there was no note yet). If the
    note moved on since, nothing is written and ``NoteChanged`` asks the user to
    reload: last write wins only between writers who saw each other's text.
    """
    now = now or timezone.now()
    locked = _locked(booking)
    if by.pk not in (locked.learner_id, locked.expert_id):
        raise SessionToolError(_("Only the session's participants write notes."), code="not_participant")
    if shared and by.pk != locked.expert_id:
        raise SessionToolError(_("Only the expert writes the shared notes."), code="not_expert")
    if not tools_open(locked):
        raise SessionToolError(_("Notes of a cancelled session can no longer be changed."), code="closed")
    text = _text(body, limit=NOTE_MAX_LENGTH).rstrip()
    changed = NoteChanged(
        _("This note was changed elsewhere since you opened it. Reload the page to see the new text, then edit again."),
        code="changed",
    )
    mine = SessionNote.objects.filter(booking=locked, author=by, shared=shared)
    if version == 0:
        try:
            with transaction.atomic():
                return SessionNote.objects.create(booking=locked, author=by, shared=shared, body=text)
        except IntegrityError as exc:
            raise changed from exc
    if not mine.filter(version=version).update(body=text, version=F("version") + 1, updated_at=now):
        raise changed
    return mine.get()
