"""Form helpers for the public site's form-builder pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

# A name a bot fills happily and a person never sees (hidden by CSS, skipped by
# keyboard and screen readers through tabindex and aria-hidden on its wrapper).
HONEYPOT_FIELD = "website_url"


def add_honeypot(form: forms.Form) -> forms.Form:
    form.fields[HONEYPOT_FIELD] = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    return form


def honeypot_filled(form: forms.Form) -> bool:
    return bool((form.cleaned_data.get(HONEYPOT_FIELD) or "").strip())
