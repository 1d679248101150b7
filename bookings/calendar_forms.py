"""The form that adds an imported calendar (``/expert/calendars/``)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from .ics_import.fetch import url_normalize


class CalendarAddForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80, help_text=_("For you, e.g. “Work” or “Family”."))
    url = forms.CharField(
        label=_("Calendar address (ICS)"),
        max_length=2000,
        help_text=_(
            "Google Calendar: Settings → your calendar → “Secret address in iCal format”. "
            "Outlook: Settings → Calendar → Shared calendars → Publish a calendar → the ICS link. "
            "Addresses starting with webcal:// work too. We keep the address secret and show only its end."
        ),
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError(_("Give the calendar a name."))
        return name

    def clean_url(self) -> str:
        url = url_normalize(self.cleaned_data["url"])
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ValidationError(_("Enter a calendar address starting with https://, http:// or webcal://.")) from None
        return url
