"""The participant's "Report a problem" form and the staff decision form. They parse; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SessionDecision, SessionReport


class SessionReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What went wrong?"), widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("Anything staff should know (optional)"),
        required=False,
        max_length=SessionReport.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, role: str, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = SessionReport.KINDS_BY_ROLE[role]
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in allowed]


class SessionDecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=SessionDecision.Outcome.choices)
    refund_percent = forms.IntegerField(
        label=_("Learner's refund for a split (percent)"), required=False, min_value=1, max_value=99
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == SessionDecision.Outcome.SPLIT and cleaned.get("refund_percent") is None:
            self.add_error("refund_percent", _("A split needs the learner's share, between 1 and 99 percent."))
        return cleaned
