"""Forms of the billing screens. They parse input; the services decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.money import CURRENCY_EXPONENTS, Money


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


class PackagePayForm(forms.Form):
    """Paying for a package outside live mode: which Stripe test card."""

    test_card = forms.ChoiceField(
        label=_("Payment method"),
        choices=BookingPayForm.TEST_CARD_CHOICES,
        initial="success",
        widget=forms.RadioSelect,
    )


class WithdrawalForm(forms.Form):
    """How much to withdraw, in the currency's major unit ("150.00"); the currency is one the expert holds."""

    amount = forms.DecimalField(
        label=_("Amount"), min_value=Decimal("0.01"), max_digits=12, decimal_places=3, localize=False
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=())

    def __init__(self, *args, currencies: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [(code, code) for code in currencies]

    def clean(self):
        cleaned = super().clean()
        amount, currency = cleaned.get("amount"), cleaned.get("currency")
        if amount is not None and currency:
            exponent = CURRENCY_EXPONENTS[currency]
            if amount != amount.quantize(Decimal(1).scaleb(-exponent)):
                self.add_error(
                    "amount", _("%(currency)s has %(n)s decimal places.") % {"currency": currency, "n": exponent}
                )
            else:
                cleaned["amount_minor"] = Money.from_major(amount, currency).amount
        return cleaned


class MovementFilterForm(forms.Form):
    """The earnings table's filters; anything invalid is ignored with a message, never a 500."""

    type = forms.MultipleChoiceField(label=_("Type"), required=False, widget=forms.CheckboxSelectMultiple, choices=())
    currency = forms.ChoiceField(label=_("Currency"), required=False, choices=())
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, type_choices, currencies: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = type_choices
        self.fields["currency"].choices = [("", _("All")), *((code, code) for code in currencies)]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned
