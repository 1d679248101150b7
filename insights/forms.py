"""The statistics page's choices: period, granularity and category, validated before any query."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.models import Category

from .periods import DAY, MAX_DAY_BUCKETS, MAX_PERIOD_DAYS, MONTH, WEEK, Period, default_period


class StatisticsForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    granularity = forms.ChoiceField(
        label=_("Show by"),
        required=False,
        choices=[(DAY, _("Day")), (WEEK, _("Week")), (MONTH, _("Month"))],
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=Category.objects.order_by("name"),
        empty_label=_("All categories"),
    )

    def __init__(self, *args, today: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        default = default_period(self.today)
        start, end = cleaned.get("start") or default.start, cleaned.get("end") or self.today
        if end > self.today:
            self.add_error("end", _("The period cannot end after today."))
        elif end < start:
            self.add_error("end", _("The period must end on or after the day it starts."))
        elif (end - start).days + 1 > MAX_PERIOD_DAYS:
            self.add_error("start", _("Choose a period of at most %(days)s days.") % {"days": MAX_PERIOD_DAYS})
        granularity = cleaned.get("granularity") or (DAY if (end - start).days < MAX_DAY_BUCKETS else WEEK)
        if granularity == DAY and (end - start).days + 1 > MAX_DAY_BUCKETS:
            self.add_error(
                "granularity",
                _("Days can be shown for up to %(days)s days; choose weeks or months.") % {"days": MAX_DAY_BUCKETS},
            )
        cleaned.update(period=Period(start=start, end=end), granularity=granularity)
        return cleaned
