"""The short questions an expert asks every learner before a session (their intake questionnaire).

Per expert, not per session type: the questions are about the learner and what
they want (the same for a 30- and a 60-minute session), an expert offers up to
four lengths, and a session type can be removed while bookings of it remain.
The learner's answers are copied with the question text onto the booking
(``bookings.models.QuestionnaireAnswer``), so editing a question here never
changes an answer already given.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .profiles import ExpertProfile

MAX_QUESTIONS = 5
QUESTION_MAX_LENGTH = 200


class IntakeQuestion(models.Model):
    profile = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="intake_questions")
    # 1..MAX_QUESTIONS: the order the learner sees them in.
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("question"), max_length=QUESTION_MAX_LENGTH)
    required = models.BooleanField(_("answer required"), default=False)

    class Meta:
        verbose_name = _("intake question")
        ordering = ["profile", "position"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "position"], name="marketplace_question_position_unique"),
            models.CheckConstraint(
                condition=Q(position__gte=1, position__lte=MAX_QUESTIONS), name="marketplace_question_position_range"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="marketplace_question_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"
