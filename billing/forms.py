"""Forms of the billing screens. They parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class BookingPayForm(forms.Form):
    """The review page's pay form.

    Outside live mode it carries a Stripe test card choice and paying happens on
    the server. In live mode the card is entered in Stripe's Payment Element in
    the browser, so the form only carries the goals note.
    """

    TEST_CARD_CHOICES = [
        ("success", _("Test card: success")),
        ("decline", _("Test card: decline")),
        ("authenticate", _("Test card: needs authentication")),
    ]

    goals_note = forms.CharField(
        label=_("What would you like to get out of this session?"),
        help_text=_("Optional. Your expert sees this before the session."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
    )
    test_card = forms.ChoiceField(
        label=_("Payment method"), choices=TEST_CARD_CHOICES, initial="success", widget=forms.RadioSelect
    )

    def __init__(self, *args, live_mode: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if live_mode:
            del self.fields["test_card"]
