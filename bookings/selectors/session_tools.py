"""What the session page shows of the session tools, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from marketplace.models import IntakeQuestion

from ..models import Booking, QuestionnaireAnswer, SessionNote, SessionResource
from ..models.session_tools import before_start, tools_open


@dataclass(frozen=True)
class QuestionRow:
    position: int
    question: str
    required: bool
    answer: str = ""
    # From the booking's snapshot (the learner answered), not the expert's current questions.
    answered: bool = False


def questionnaire_rows(*, booking: Booking) -> list[QuestionRow]:
    """The booking's answered questions if the learner answered, else the expert's current questions.

    One query, or two when nothing was answered yet.
    """
    answers = list(QuestionnaireAnswer.objects.filter(booking=booking).order_by("position"))
    if answers:
        return [
            QuestionRow(answer.position, answer.question, answer.required, answer.answer, answered=True)
            for answer in answers
        ]
    questions = IntakeQuestion.objects.filter(profile__user_id=booking.expert_id).order_by("position")
    return [QuestionRow(question.position, question.text, question.required) for question in questions]


@dataclass
class SessionTools:
    questions: list[QuestionRow]
    private_note: SessionNote | None
    shared_note: SessionNote | None
    resources: list[SessionResource] = field(default_factory=list)


def session_tools(*, booking: Booking, viewer) -> SessionTools:
    """The questionnaire, the viewer's own private note, the shared note and the resources.

    Four queries however many resources or notes there are; the other participant's
    private note is never read.
    """
    mine_or_shared = Q(shared=False, author_id=viewer.pk) | Q(shared=True, author_id=booking.expert_id)
    notes = list(SessionNote.objects.filter(mine_or_shared, booking=booking))
    return SessionTools(
        questions=questionnaire_rows(booking=booking),
        private_note=next((note for note in notes if not note.shared), None),
        shared_note=next((note for note in notes if note.shared), None),
        resources=list(SessionResource.objects.filter(booking=booking).order_by("created_at", "pk")),
    )


def session_note(*, booking: Booking, author, shared: bool) -> SessionNote | None:
    return SessionNote.objects.filter(booking=booking, author=author, shared=shared).first()


def session_tools_context(*, booking: Booking, viewer, now) -> dict:
    """The session page's tools section: what there is and what the viewer may change now."""
    return {
        "tools": session_tools(booking=booking, viewer=viewer),
        "tools_open": tools_open(booking),
        "before_start": before_start(booking, now),
    }
