"""Forms of the operations console's session page: every action asks for a reason."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import SessionReport
from .services.staff_actions import REASON_MAX_LENGTH


class StaffReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (kept in the audit log)"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Please give the reason; it is kept in the audit log.")},
    )


class StaffMoveForm(StaffReasonForm):
    start = forms.DateTimeField(
        label=_("New start, in the expert's time zone"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": _("Please choose the new start."), "invalid": _("Please enter a date and time.")},
    )

    def __init__(self, *args, zone: str = "UTC", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone

    def clean_start(self):
        value = self.cleaned_data["start"]
        # The field reads the wall clock; the expert's zone makes it an instant (fold 0 in a repeated hour).
        naive = timezone.make_naive(value) if timezone.is_aware(value) else value
        return naive.replace(tzinfo=ZoneInfo(self.zone))


class StaffNoShowForm(StaffReasonForm):
    absent = forms.ChoiceField(
        label=_("Who did not come"),
        choices=[(SessionReport.Role.EXPERT, _("The expert")), (SessionReport.Role.LEARNER, _("The learner"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose who did not come.")},
    )
