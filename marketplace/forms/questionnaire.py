"""The expert's intake questionnaire on the offerings screen: ``MAX_QUESTIONS`` rows of text and "required"."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import MAX_QUESTIONS, QUESTION_MAX_LENGTH, IntakeQuestion


class QuestionnaireForm(forms.Form):
    def __init__(self, *args, questions: list[IntakeQuestion] | None = None, **kwargs) -> None:
        initial = {}
        for question in questions or []:
            initial[f"question_{question.position}"] = question.text
            initial[f"required_{question.position}"] = question.required
        super().__init__(*args, initial=initial, **kwargs)
        for position in range(1, MAX_QUESTIONS + 1):
            self.fields[f"question_{position}"] = forms.CharField(
                label=_("Question %(n)s") % {"n": position},
                max_length=QUESTION_MAX_LENGTH,
                required=False,
                strip=True,
            )
            self.fields[f"required_{position}"] = forms.BooleanField(
                label=_("Question %(n)s: answer required") % {"n": position}, required=False
            )

    def rows(self):
        """(question field, required field) per position, for the template."""
        return [
            (self[f"question_{position}"], self[f"required_{position}"]) for position in range(1, MAX_QUESTIONS + 1)
        ]

    def clean(self):
        cleaned = super().clean()
        for position in range(1, MAX_QUESTIONS + 1):
            if cleaned.get(f"required_{position}") and not cleaned.get(f"question_{position}"):
                self.add_error(f"question_{position}", _("Write the question, or untick “answer required”."))
        return cleaned

    def questions(self) -> list[tuple[str, bool]]:
        return [
            (self.cleaned_data.get(f"question_{position}") or "", bool(self.cleaned_data.get(f"required_{position}")))
            for position in range(1, MAX_QUESTIONS + 1)
        ]
