"""The learner's rating form, and the expert's reply and report forms.

Stars are radio buttons with a label each (keyboard and screen readers need nothing else); a
value outside 1–5 is refused by the field's choices before any service sees it.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NOTE_MAX, REASON_MAX, REPLY_MAX, TEXT_MAX

STAR_CHOICES = [
    (5, _("5 stars — excellent")),
    (4, _("4 stars — good")),
    (3, _("3 stars — fair")),
    (2, _("2 stars — poor")),
    (1, _("1 star — bad")),
]


def _stars(label, *, required: bool) -> forms.TypedChoiceField:
    choices = STAR_CHOICES if required else [*STAR_CHOICES, ("", _("Not rated"))]
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect(attrs={"class": "stars__input"}),
    )


class SessionRatingForm(forms.Form):
    rating = _stars(_("Overall"), required=True)
    knowledge = _stars(_("Knowledge"), required=False)
    clarity = _stars(_("Clarity"), required=False)
    preparation = _stars(_("Preparation"), required=False)
    text = forms.CharField(
        label=_("Your review"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Public once published, with your first name and the session length."),
    )
    private_note = forms.CharField(
        label=_("Private note to the expert"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the expert reads this, once your review is published. It is never public."),
    )


class ReviewReplyForm(forms.Form):
    text = forms.CharField(label=_("Your public reply"), max_length=REPLY_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class ReviewReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Why should TapTime look at this review?"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
