"""Forms of the session tools. They parse and bound the input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models.session_tools import (
    ANSWER_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    RESOURCE_TITLE_MAX_LENGTH,
    RESOURCE_URL_MAX_LENGTH,
)
from .selectors.session_tools import QuestionRow
from .services.session_tools import GOALS_MAX_LENGTH


class GoalsForm(forms.Form):
    goals_note = forms.CharField(
        label=_("What do you want from this session?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=GOALS_MAX_LENGTH,
        required=False,
        help_text=_("Your expert reads this before the session. You can change it until the session starts."),
    )


class AnswersForm(forms.Form):
    def __init__(self, *args, rows: list[QuestionRow], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for row in rows:
            self.fields[f"answer_{row.position}"] = forms.CharField(
                label=row.question,
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=ANSWER_MAX_LENGTH,
                required=row.required,
                initial=row.answer,
                help_text=_("Required") if row.required else _("Optional"),
            )

    def answers(self) -> dict[int, str]:
        return {int(name.split("_", 1)[1]): value or "" for name, value in self.cleaned_data.items()}


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        strip=False,
        help_text=_(
            "Plain text. **bold**, *italic*, `code` and lines starting with “- ” for lists are shown formatted."
        ),
    )
    # The version the editor loaded (0: no note yet), for the "changed elsewhere" check.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)

    def clean(self):
        # A hidden field's error would show nowhere: say it once, above the form.
        if self._errors.pop("version", None):
            raise forms.ValidationError(_("This page is out of date. Reload it, then edit again."), code="version")
        return super().clean()


class LinkResourceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=RESOURCE_TITLE_MAX_LENGTH, required=False)
    url = forms.CharField(
        label=_("Web address"),
        max_length=RESOURCE_URL_MAX_LENGTH,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text=_("An http:// or https:// address."),
    )


class FileResourceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=RESOURCE_TITLE_MAX_LENGTH, required=False)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG, PNG or plain text."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.txt,.md"}),
    )
