"""Forms of the staff review screens (Wagtail admin). They parse input; the review services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ApplicationDocument, Category, ExpertApplication
from .selectors.review_queue import AGE_CHOICES, ORDERINGS, QueueFilters
from .services.application_review import MESSAGE_MAX_LENGTH

_STATUS_CHOICES = [("waiting", _("Waiting for a decision")), ("all", _("All (except drafts)"))] + [
    (value, label) for value, label in ExpertApplication.Status.choices if value != ExpertApplication.Status.DRAFT
]


class QueueFilterForm(forms.Form):
    """The queue's filters from the query string; a bad value is dropped with a message, never a 500."""

    status = forms.ChoiceField(label=_("Status"), choices=_STATUS_CHOICES, required=False)
    category = forms.TypedChoiceField(label=_("Category"), coerce=int, required=False, empty_value=None)
    age = forms.TypedChoiceField(
        label=_("Waiting more than"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", _("Any time"))] + [(days, _("%(n)s days") % {"n": days}) for days in AGE_CHOICES],
    )
    reviewer = forms.ChoiceField(label=_("Reviewer"), required=False)
    order = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[("waiting", _("Waiting longest first")), ("-waiting", _("Newest first"))],
    )

    def __init__(self, data=None, *, reviewers: list[tuple[int, str]]):
        super().__init__(data)
        self.fields["category"].choices = [("", _("Any category"))] + [
            (category.pk, str(category)) for category in Category.objects.filter(parent__isnull=True)
        ]
        self.fields["reviewer"].choices = [
            ("", _("Anyone")),
            ("me", _("Held by me")),
            ("none", _("Not claimed")),
        ] + [(str(pk), name) for pk, name in reviewers]

    def filters(self) -> QueueFilters:
        """What was valid; every field that was not falls back to its default."""
        self.is_valid()
        data = {name: value for name, value in getattr(self, "cleaned_data", {}).items() if name not in self.errors}
        order = data.get("order") or "waiting"
        return QueueFilters(
            status=data.get("status") or "waiting",
            category=data.get("category"),
            older_than_days=data.get("age"),
            reviewer=data.get("reviewer") or "",
            order=order if order in ORDERINGS else "waiting",
        )

    def notices(self) -> list[str]:
        return [f"{self.fields[name].label}: {' '.join(errors)}" for name, errors in self.errors.items()]


class MessageForm(forms.Form):
    message = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=MESSAGE_MAX_LENGTH
    )


class DocumentCheckForm(forms.Form):
    document = forms.IntegerField(min_value=1)
    check_status = forms.ChoiceField(
        choices=[
            (value, label)
            for value, label in ApplicationDocument.CheckStatus.choices
            if value != ApplicationDocument.CheckStatus.PENDING
        ]
    )
