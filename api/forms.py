"""The expert's webhook endpoint form (the page at /expert/webhooks/)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import WebhookEndpoint


class WebhookEndpointForm(forms.Form):
    url = forms.URLField(
        label=_("Address"),
        max_length=500,
        assume_scheme="https",
        help_text=_("A public https:// address of yours that answers a POST with a 2xx status within 10 seconds."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=WebhookEndpoint.EVENTS, widget=forms.CheckboxSelectMultiple
    )
