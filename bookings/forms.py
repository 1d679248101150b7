"""Forms of the expert's availability screen. They parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RefundTier, VideoProviderName, Weekday
from .services.availability import SLOT_STEP_CHOICES, weekly_hours_problems


class _TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class WeeklyHoursForm(forms.Form):
    # The blank choice keeps the formset's empty extra rows unchanged, so they are skipped.
    weekday = forms.TypedChoiceField(label=_("Day"), choices=[("", "—"), *Weekday.choices], coerce=int)
    start = forms.TimeField(label=_("From"), widget=_TimeInput())
    end = forms.TimeField(label=_("Until"), widget=_TimeInput())

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is not None and end is not None and end <= start:
            self.add_error("end", _("The end must be after the start, on the same day."))
        return cleaned


class BaseWeeklyHoursFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove")

    def clean(self):
        if any(self.errors):
            return
        problems = weekly_hours_problems(self.windows())
        if problems:
            raise forms.ValidationError(problems)

    def windows(self) -> list[tuple[int, object, object]]:
        """(weekday, start, end) of every filled row the expert did not mark for removal."""
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or data.get("start") is None:
                continue
            rows.append((data["weekday"], data["start"], data["end"]))
        return rows


WeeklyHoursFormSet = forms.formset_factory(
    WeeklyHoursForm, formset=BaseWeeklyHoursFormSet, extra=2, can_delete=True, max_num=42, validate_max=True
)


class SchedulingPolicyForm(forms.Form):
    min_notice_hours = forms.IntegerField(
        label=_("Minimum notice (hours)"),
        min_value=0,
        max_value=24 * 14,
        help_text=_("Learners cannot book a session that starts sooner than this."),
    )
    horizon_days = forms.IntegerField(
        label=_("Booking horizon (days)"),
        min_value=1,
        max_value=365,
        help_text=_("How far ahead learners can book."),
    )
    buffer_minutes = forms.IntegerField(
        label=_("Buffer between sessions (minutes)"),
        min_value=0,
        max_value=240,
        help_text=_("Kept free before and after every session."),
    )
    slot_step_minutes = forms.TypedChoiceField(
        label=_("Sessions can start every"),
        choices=[(minutes, _("%(n)s minutes") % {"n": minutes}) for minutes in SLOT_STEP_CHOICES],
        coerce=int,
    )


class DayOffForm(forms.Form):
    day = forms.DateField(label=_("Day off"), widget=forms.DateInput(attrs={"type": "date"}))


class RefundPolicyForm(forms.Form):
    """The expert's refund tier; the tiers themselves are the platform's (``bookings.models.REFUND_TERMS``)."""

    tier = forms.ChoiceField(
        label=_("Refund policy"),
        choices=RefundTier.choices,
        help_text=_("Applies to sessions booked from now on; booked sessions keep the policy they were bought under."),
    )


class VideoProviderForm(forms.Form):
    """The expert's video provider, from the providers configured here (``bookings.video.configured_providers``)."""

    provider = forms.ChoiceField(
        label=_("Video rooms"),
        help_text=_("Used for sessions confirmed from now on; booked sessions keep their room."),
    )

    def __init__(self, *args, available: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(VideoProviderName.choices)
        self.fields["provider"].choices = [(name, labels[name]) for name in available]


class RecordingUploadForm(forms.Form):
    """The expert's recording file; its type (by content) and size are the service's to check."""

    file = forms.FileField(
        label=_("Recording file"),
        help_text=_("MP4, WebM, M4A or MP3."),
        widget=forms.FileInput(attrs={"accept": "video/mp4,video/webm,audio/mp4,audio/mpeg"}),
        error_messages={"required": _("Choose a file to upload.")},
    )
