"""Forms of the expert area. They parse input; the services decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import Locale

from core.money import CURRENCY_EXPONENTS, Money, stripe_minimum_charge
from core.widgets import CheckboxList

from ..models import DURATION_CHOICES, Category, ExpertIndexPage, ExpertProfile, Language, SessionType
from ..services.photos import MAX_BYTES


def category_groups(categories) -> list[tuple[str, list[tuple[int, str]]]]:
    """Checkbox choices grouped under their top-level category, each group in the tree's order (one query).

    The top-level category itself comes first in its group, as "<name> in general".
    """
    categories = list(categories)
    by_parent: dict[int | None, list] = {}
    for category in categories:
        by_parent.setdefault(category.parent_id, []).append(category)

    def order(category) -> tuple[int, str]:
        return (category.sort_order, category.name.casefold())

    return [
        (
            top.name,
            [(top.pk, _("%(name)s in general") % {"name": top.name})]
            + [(child.pk, child.name) for child in sorted(by_parent.get(top.pk, []), key=order)],
        )
        for top in sorted(by_parent.get(None, []), key=order)
    ]


class ExpertPageForm(forms.Form):
    title = forms.CharField(label=_("Display name"), max_length=100)
    headline = forms.CharField(label=_("Headline"), max_length=140, help_text=_("One line learners see on your card."))
    bio = forms.CharField(label=_("Bio"), widget=forms.Textarea(attrs={"rows": 8}), required=False, max_length=5000)
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at least 200×200 pixels, up to 5 MB. We remove location and camera data."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories"),
        queryset=Category.objects.select_related("parent"),
        required=False,
        widget=CheckboxList,
        help_text=_("A top-level category also lists you under each of its subcategories' searches."),
    )
    skills = forms.CharField(
        label=_("Skills"),
        required=False,
        max_length=500,
        help_text=_("Comma-separated, e.g. Python, SQL, Data analysis."),
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages you hold sessions in"), queryset=Language.objects.all(), widget=CheckboxList
    )
    years_experience = forms.IntegerField(label=_("Years of experience"), min_value=0, max_value=70)
    credentials = forms.CharField(
        label=_("Credentials"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line."),
    )
    website_url = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    linkedin_url = forms.URLField(label=_("LinkedIn"), required=False, assume_scheme="https")
    github_url = forms.URLField(label=_("GitHub"), required=False, assume_scheme="https")
    intro_video_url = forms.URLField(label=_("Intro video link"), required=False, assume_scheme="https")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].widget.choices = category_groups(Category.objects.select_related("parent"))

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and photo.size > MAX_BYTES:
            raise forms.ValidationError(_("The photo is larger than 5 MB. Please upload a smaller file."))
        return photo

    def clean_skills(self) -> list[str]:
        names = [name.strip()[:100] for name in self.cleaned_data["skills"].split(",")]
        unique = list(dict.fromkeys(name for name in names if name))
        if len(unique) > 20:
            raise forms.ValidationError(_("List at most 20 skills."))
        return unique


class PriceField(forms.DecimalField):
    def __init__(self, **kwargs):
        super().__init__(min_value=Decimal("1"), max_value=Decimal("100000"), decimal_places=2, max_digits=9, **kwargs)


def _money(value: Decimal, currency: str) -> Money:
    return Money.from_major(value, currency)


def _price_chargeable(value: Decimal | None, currency: str) -> Decimal | None:
    """Refuse a price below Stripe's smallest charge in ``currency`` (e.g. ¥50), with that minimum in the message.

    Prices take at most two decimals (``PriceField``), so a three-decimal currency's price is always a whole
    number of 10 fils, the granularity Stripe charges KWD and BHD in.
    """
    if value is not None and _money(value, currency).amount < stripe_minimum_charge(currency).amount:
        raise forms.ValidationError(
            _("Stripe cannot charge less than %(minimum)s in %(currency)s. Enter a higher price.")
            % {"minimum": stripe_minimum_charge(currency).format(), "currency": currency},
            code="below_stripe_minimum",
        )
    return value


class SessionTypeForm(forms.Form):
    duration_minutes = forms.TypedChoiceField(label=_("Length"), choices=DURATION_CHOICES, coerce=int)
    price = PriceField(label=_("Price"))
    is_active = forms.BooleanField(label=_("Offered to learners"), required=False, initial=True)

    def __init__(self, *args, currency: str, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.fields["price"].label = _("Price (%(cur)s)") % {"cur": currency}
        if CURRENCY_EXPONENTS[currency] == 0:
            self.fields["price"].decimal_places = 0
        if editing:
            del self.fields["duration_minutes"]

    def clean_price(self) -> Decimal | None:
        return _price_chargeable(self.cleaned_data.get("price"), self.currency)

    def price_money(self) -> Money:
        return _money(self.cleaned_data["price"], self.currency)


class PackageForm(forms.Form):
    session_type = forms.ModelChoiceField(label=_("Session type"), queryset=SessionType.objects.none())
    sessions_count = forms.IntegerField(label=_("Number of sessions"), min_value=2, max_value=50)
    price = PriceField(label=_("Bundle price"))
    validity_days = forms.IntegerField(label=_("Valid for (days)"), min_value=7, max_value=730, initial=90)
    is_active = forms.BooleanField(label=_("Offered to learners"), required=False, initial=True)

    def __init__(self, *args, profile, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = profile.currency
        self.fields["session_type"].queryset = SessionType.objects.filter(profile=profile)
        self.fields["price"].label = _("Bundle price (%(cur)s)") % {"cur": profile.currency}
        if editing:
            del self.fields["session_type"]

    def clean_price(self) -> Decimal | None:
        return _price_chargeable(self.cleaned_data.get("price"), self.currency)

    def price_money(self) -> Money:
        return _money(self.cleaned_data["price"], self.currency)


class ExpertProfileCreateForm(WagtailAdminModelForm):
    """Staff make an existing account an expert (Wagtail admin → Expert profiles → Add).

    The account is named by its email address: a list of every user would not
    scale, and staff get the address from the applicant. The service creates the
    profile and its live page; the expert then writes the page from /expert/profile/.
    """

    email = forms.EmailField(
        label=_("Email address of the account"),
        help_text=_("The person signs up first; their account then becomes an expert account."),
    )
    headline = forms.CharField(
        label=_("Headline"), max_length=140, help_text=_("One line learners see on the card; the expert can change it.")
    )

    class Meta:
        model = ExpertProfile
        fields = ["status", "time_zone", "currency"]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active account uses this address. Ask the person to sign up first."))
        if ExpertProfile.objects.filter(user=user).exists():
            raise forms.ValidationError(_("This account already has an expert profile."))
        self.user = user
        return email

    def clean(self):
        cleaned = super().clean()
        self.index_page = ExpertIndexPage.objects.filter(locale=Locale.get_default()).first()
        if self.index_page is None:
            raise forms.ValidationError(_("Publish the Experts page first: expert pages are created under it."))
        return cleaned
