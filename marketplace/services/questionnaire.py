"""The expert's intake questionnaire: replaced as a whole, at most ``MAX_QUESTIONS`` short questions."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.locking import locked_transaction

from ..errors import OfferingError
from ..models import MAX_QUESTIONS, QUESTION_MAX_LENGTH, ExpertProfile, IntakeQuestion


@locked_transaction()
def intake_questions_replace(*, profile: ExpertProfile, questions: list[tuple[str, bool]]) -> list[IntakeQuestion]:
    """Store ``questions`` ((text, required) in order; empty texts are dropped) as the expert's questionnaire.

    Answers already given keep their own copy of the question text, so replacing
    the rows here changes nothing for booked sessions that were answered.
    """
    cleaned = [(" ".join(text.split()), bool(required)) for text, required in questions]
    cleaned = [(text, required) for text, required in cleaned if text]
    if len(cleaned) > MAX_QUESTIONS:
        raise OfferingError(_("Ask at most %(n)s questions.") % {"n": MAX_QUESTIONS}, code="too_many_questions")
    if any(len(text) > QUESTION_MAX_LENGTH for text, _required in cleaned):
        raise OfferingError(
            _("Each question has at most %(n)s characters.") % {"n": QUESTION_MAX_LENGTH}, code="question_too_long"
        )
    # The profile's row lock serialises two saves of the same questionnaire.
    ExpertProfile.objects.select_for_update().filter(pk=profile.pk).first()
    IntakeQuestion.objects.filter(profile=profile).delete()
    return IntakeQuestion.objects.bulk_create(
        IntakeQuestion(profile=profile, position=position, text=text, required=required)
        for position, (text, required) in enumerate(cleaned, start=1)
    )
