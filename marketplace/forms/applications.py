"""Forms of the expert application's steps. They parse and bound input; the services decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_time_zone
from core.money import CURRENCY_CHOICES, CURRENCY_EXPONENTS
from core.timezones import canonical_zone, zone_choices
from core.widgets import CheckboxList

from ..browse.widgets import QuickSelect
from ..models import ApplicationDocument, Category, ExpertApplication, Language
from ..models.application_offer import (
    DURATIONS,
    MAX_PACKAGES,
    MAX_PRICE,
    MIN_PRICE,
    PACKAGE_SESSIONS,
    OfferInvalid,
    offer_parse,
)
from ..services.photos import MAX_BYTES as PHOTO_MAX_BYTES
from .expert_area import category_groups

MAX_LINKS = 5
MAX_SKILLS = 20


class AboutForm(forms.Form):
    headline = forms.CharField(
        label=_("Headline"), max_length=120, help_text=_("One line learners will see on your card.")
    )
    bio = forms.CharField(
        label=_("Bio"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Who you help, with what, and how you work. 300 characters or more reads best."),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at least 200×200 pixels, up to 5 MB. We remove location and camera data."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_photo = forms.BooleanField(label=_("Remove the current photo"), required=False)
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages you hold sessions in"), queryset=Language.objects.all(), widget=CheckboxList
    )
    time_zone = forms.ChoiceField(label=_("Your time zone"), validators=[validate_time_zone], widget=QuickSelect)
    links = forms.CharField(
        label=_("Links"),
        required=False,
        max_length=1200,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Up to 5 links to your work, one per line: website, LinkedIn, GitHub, portfolio."),
    )

    def __init__(self, *args, has_photo: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = zone_choices()
        if not has_photo:
            del self.fields["remove_photo"]

    def clean_time_zone(self) -> str:
        return canonical_zone(self.cleaned_data["time_zone"]) or "UTC"

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and photo.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError(_("The photo is larger than 5 MB. Please upload a smaller file."))
        return photo

    def clean_links(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        if len(lines) > MAX_LINKS:
            raise forms.ValidationError(_("List at most %(n)s links.") % {"n": MAX_LINKS})
        validate = URLValidator(schemes=["http", "https"])
        for line in lines:
            if len(line) > 200:
                raise forms.ValidationError(_("A link is longer than 200 characters."))
            try:
                validate(line)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("“%(link)s” is not a web address: start each link with https://") % {"link": line[:60]}
                ) from None
        return list(dict.fromkeys(lines))

    @staticmethod
    def initial_from(application: ExpertApplication | None, user) -> dict:
        if application is None:
            return {"time_zone": canonical_zone(user.time_zone) or "UTC"}
        return {
            "headline": application.headline,
            "bio": application.bio,
            "languages": list(application.languages.all()),
            "time_zone": canonical_zone(application.time_zone or user.time_zone) or "UTC",
            "links": "\n".join(application.links or []),
        }


class ExpertiseForm(forms.Form):
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories"),
        queryset=Category.objects.select_related("parent"),
        widget=CheckboxList,
        help_text=_("Pick the subjects you teach; a top-level category covers all of its subcategories."),
    )
    skills = forms.CharField(
        label=_("Skills"),
        required=False,
        max_length=600,
        help_text=_("Comma-separated, e.g. Python, SQL, Data analysis."),
    )
    years_experience = forms.IntegerField(label=_("Years of experience"), min_value=0, max_value=70)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].widget.choices = category_groups(Category.objects.select_related("parent"))

    def clean_skills(self) -> list[str]:
        names = [name.strip()[:60] for name in self.cleaned_data["skills"].split(",")]
        unique = list(dict.fromkeys(name for name in names if name))
        if len(unique) > MAX_SKILLS:
            raise forms.ValidationError(_("List at most %(n)s skills.") % {"n": MAX_SKILLS})
        return unique

    @staticmethod
    def initial_from(application: ExpertApplication) -> dict:
        return {
            "categories": list(application.categories.all()),
            "skills": ", ".join(application.skills or []),
            "years_experience": application.years_experience,
        }


def _price_field(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, min_value=MIN_PRICE, max_value=MAX_PRICE, decimal_places=2, max_digits=9
    )


class OfferForm(forms.Form):
    """One price box per session length (empty: not offered) and three package rows: no JavaScript needed."""

    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES, initial="EUR")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for minutes in DURATIONS:
            self.fields[f"price_{minutes}"] = _price_field(_("%(n)s-minute session") % {"n": minutes})
        length_choices = [("", _("Length"))] + [(m, _("%(n)s minutes") % {"n": m}) for m in DURATIONS]
        for row in range(1, MAX_PACKAGES + 1):
            self.fields[f"package_{row}_sessions"] = forms.IntegerField(
                label=_("Package %(n)s: sessions") % {"n": row},
                required=False,
                min_value=PACKAGE_SESSIONS[0],
                max_value=PACKAGE_SESSIONS[1],
            )
            self.fields[f"package_{row}_minutes"] = forms.TypedChoiceField(
                label=_("Package %(n)s: length") % {"n": row},
                choices=length_choices,
                coerce=int,
                required=False,
                empty_value=None,
            )
            self.fields[f"package_{row}_price"] = _price_field(_("Package %(n)s: total price") % {"n": row})

    def session_fields(self):
        return [self[f"price_{minutes}"] for minutes in DURATIONS]

    def package_rows(self):
        return [
            (self[f"package_{row}_sessions"], self[f"package_{row}_minutes"], self[f"package_{row}_price"])
            for row in range(1, MAX_PACKAGES + 1)
        ]

    def clean(self):
        cleaned = super().clean()
        currency = cleaned.get("currency")
        if currency is None or self.errors:
            return cleaned
        step = Decimal(1).scaleb(-CURRENCY_EXPONENTS[currency])
        for minutes in DURATIONS:
            price = cleaned.get(f"price_{minutes}")
            if price is not None and price != price.quantize(step):
                self.add_error(f"price_{minutes}", _("Use whole amounts in %(cur)s.") % {"cur": currency})
        sessions = [
            {"minutes": m, "price": str(cleaned[f"price_{m}"])}
            for m in DURATIONS
            if cleaned.get(f"price_{m}") is not None
        ]
        packages = []
        for row in range(1, MAX_PACKAGES + 1):
            values = [cleaned.get(f"package_{row}_{part}") for part in ("sessions", "minutes", "price")]
            if all(value in (None, "") for value in values):
                continue
            if any(value in (None, "") for value in values):
                self.add_error(
                    f"package_{row}_sessions", _("Fill in all three boxes of this package, or leave them all empty.")
                )
                continue
            count, minutes, price = values
            if minutes not in [s["minutes"] for s in sessions]:
                self.add_error(f"package_{row}_minutes", _("Offer this session length above first."))
                continue
            packages.append({"sessions": count, "minutes": minutes, "price": str(price)})
        if not sessions and not self.errors:
            raise forms.ValidationError(_("Set a price for at least one session length."))
        if self.errors:
            return cleaned
        try:
            self.offer = offer_parse({"currency": currency, "sessions": sessions, "packages": packages})
        except OfferInvalid as invalid:
            raise forms.ValidationError(invalid.messages) from None
        return cleaned

    @staticmethod
    def initial_from(application: ExpertApplication) -> dict:
        offer = application.offer or {}
        initial: dict = {"currency": offer.get("currency") or "EUR"}
        for session in offer.get("sessions") or []:
            initial[f"price_{session.get('minutes')}"] = session.get("price")
        for row, package in enumerate((offer.get("packages") or [])[:MAX_PACKAGES], start=1):
            initial[f"package_{row}_sessions"] = package.get("sessions")
            initial[f"package_{row}_minutes"] = package.get("minutes")
            initial[f"package_{row}_price"] = package.get("price")
        return initial


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=ApplicationDocument.Kind.choices)
    title = forms.CharField(
        label=_("Title"), max_length=120, help_text=_("What it is, e.g. “AWS Certified Solutions Architect”.")
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty if it does not expire."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG. No password-protected PDFs."),
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_expires_on(self):
        expires_on = self.cleaned_data.get("expires_on")
        if expires_on is not None and expires_on < timezone.localdate():
            raise forms.ValidationError(_("This date has passed: upload a document that is still valid."))
        return expires_on

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                _("The file is larger than %(size)s. Upload a smaller file.") % {"size": filesizeformat(self.max_bytes)}
            )
        return upload


class AnswerForm(forms.Form):
    message = forms.CharField(
        label=_("Your answer to the reviewer"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Say what you changed, or answer the reviewer's questions."),
    )
