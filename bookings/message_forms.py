"""The reply form, the "ask a question" form, the report form and the expert's questions switch.

Lengths are checked here for a clear message beside the field; the services check them again
(the API and the site share them), along with everything the form cannot know.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models.messages import REPORT_REASON_MAX


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Your message"),
        required=False,
        max_length=settings.MESSAGE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachment = forms.FileField(
        label=_("Attach a file (optional)"),
        required=False,
        help_text=_("PDF, JPEG, PNG, text, Word, Excel, PowerPoint or OpenDocument, up to 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,.txt,.md,.docx,.xlsx,.pptx,.odt,.ods,.odp"}
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("text") or "").strip() and not cleaned.get("attachment") and not self.errors:
            raise forms.ValidationError(_("Write a message or attach a file."), code="empty")
        return cleaned


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your question"),
        max_length=settings.MESSAGE_QUESTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ask before you book: the expert answers in your messages."),
    )


class MessageReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Why should TapTime look at this message?"),
        max_length=REPORT_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class QuestionsSettingForm(forms.Form):
    questions_open = forms.BooleanField(label=_("Learners may ask me a question before booking"), required=False)
