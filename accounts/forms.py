from __future__ import annotations

from typing import Any

from allauth.account.forms import ReauthenticateForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.mfa.base.forms import ReauthenticateForm as CodeForm
from allauth.socialaccount.forms import SignupForm as AllauthSocialSignupForm
from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.timezones import canonical_zone, zone_choices
from notifications.errors import PhoneError
from notifications.phones import phone_number_parse

from .models import ApiToken, User
from .validators import validate_full_name, validate_time_zone


class SignupForm(AllauthSignupForm):
    """Sign-up asks for a name, and keeps the time zone the browser reports."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        validators=[validate_full_name],
        widget=forms.TextInput(attrs={"autocomplete": "name", "placeholder": _("Ada Lovelace")}),
    )
    # Filled in by static/js/timezone.js from the browser; falls back to UTC.
    time_zone = forms.CharField(required=False, widget=forms.HiddenInput)

    field_order = ["full_name", "email", "password1", "password2"]

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Please tell us your name."))
        return name

    def clean_time_zone(self) -> str:
        # Browsers may report a legacy name (Asia/Calcutta): store the zone it stands for.
        return canonical_zone(self.cleaned_data.get("time_zone")) or "UTC"

    def custom_signup(self, request: HttpRequest, user: User) -> None:
        user.full_name = self.cleaned_data["full_name"]
        user.time_zone = self.cleaned_data["time_zone"]
        language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
        if language in dict(settings.LANGUAGES):
            user.preferred_language = language
        user.save(update_fields=["full_name", "time_zone", "preferred_language"])


class ProfileForm(forms.ModelForm):
    """The account settings a user edits themselves."""

    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=(),
        widget=forms.Select(attrs={"data-zone-search": _("Search time zones")}),
        help_text=_("Session times are shown in this zone."),
    )

    class Meta:
        model = User
        fields = ["full_name", "time_zone", "preferred_language"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Grouped by region, common zones first; no Factory, localtime or legacy aliases.
        self.fields["time_zone"].choices = zone_choices()
        self.fields["time_zone"].validators = [validate_time_zone]
        if self.instance.pk and not self.is_bound:
            # A zone stored under a legacy name is shown (and saved) as the zone it stands for.
            self.initial["time_zone"] = canonical_zone(self.instance.time_zone) or "UTC"


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=80, help_text=_("What the token is for, e.g. “Calendar sync”."), strip=True
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=ApiToken.SCOPES, widget=forms.CheckboxSelectMultiple, initial=["read"]
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        validate_full_name(name)  # no links, no control characters: it is shown back in the list
        return name


class ReminderChannelsForm(forms.Form):
    """How the user wants to be reminded of sessions (stored by ``notifications``)."""

    reminder_email = forms.BooleanField(
        label=_("Email reminders"), required=False, help_text=_("An email 24 hours and 1 hour before each session.")
    )
    reminder_in_app = forms.BooleanField(
        label=_("Reminders on my dashboard"),
        required=False,
        help_text=_("A notice on your dashboard when a session starts within 24 hours."),
    )
    reminder_sms = forms.BooleanField(
        label=_("Text message reminders"),
        required=False,
        help_text=_("A text message to your verified mobile number 1 hour before each session."),
    )

    def __init__(self, *args: Any, sms_available: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Without a verified number the box is shown switched off and whatever is posted for it is ignored.
        if not sms_available:
            self.fields["reminder_sms"].disabled = True
            self.initial["reminder_sms"] = False


class PhoneNumberForm(forms.Form):
    """A mobile number, read in the country of the person's time zone when written without ``+``."""

    number = forms.CharField(
        label=_("Mobile number"),
        max_length=32,
        help_text=_("With its country code, e.g. +49 151 23456789. We text a 6-digit code to it."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )

    def __init__(self, *args: Any, zone: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone

    def clean_number(self) -> str:
        try:
            return phone_number_parse(raw=self.cleaned_data["number"], zone=self.zone)
        except PhoneError as refused:
            raise forms.ValidationError(refused.message, code=refused.code) from None


class PhoneCodeForm(forms.Form):
    """The 6-digit code texted to the number; spaces and dashes people type are ignored."""

    code = forms.CharField(
        label=_("Code from the text message"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self) -> str:
        code = "".join(char for char in self.cleaned_data["code"] if char not in " -")
        if len(code) != 6 or not code.isascii() or not code.isdigit():
            raise forms.ValidationError(_("Enter the 6 digits of the code we texted you."), code="format")
        return code


class ErasureConfirmForm(forms.Form):
    """Erasure is confirmed with the password and, when the account has one, a second-factor code.

    Both are checked by allauth's own re-authentication forms (its rate limits and failure
    signals included); passing them also counts as a fresh re-authentication of the session.
    """

    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    code = forms.CharField(
        label=_("Code from your authenticator app (or a recovery code)"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    understood = forms.BooleanField(
        label=_("I understand that my account and my data will be erased for good after the waiting period.")
    )

    def __init__(
        self,
        *args: Any,
        user: User,
        needs_code: bool,
        needs_password: bool = True,
        reauthenticate_first: str = "",
        **kwargs: Any,
    ) -> None:
        """``needs_password`` is False for an account without one (Google or LinkedIn only) and for a
        session that has just re-authenticated with allauth (password or passkey); then
        ``reauthenticate_first`` is the reason the person must still confirm another way (shown, and
        the form refuses), or "" when nothing more is needed."""
        super().__init__(*args, **kwargs)
        self.user = user
        self.needs_code = needs_code
        self.reauthenticate_first = reauthenticate_first
        if not needs_code:
            del self.fields["code"]
        if not needs_password:
            del self.fields["password"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.reauthenticate_first:
            raise forms.ValidationError(self.reauthenticate_first, code="reauthenticate")
        return cleaned

    def clean_password(self) -> str:

        checked = ReauthenticateForm(user=self.user, data={"password": self.cleaned_data["password"]})
        if not checked.is_valid():
            raise forms.ValidationError(_("That is not your password."), code="incorrect_password")
        return self.cleaned_data["password"]

    def clean_code(self) -> str:

        code = (self.cleaned_data.get("code") or "").strip()
        if not code:
            raise forms.ValidationError(_("Enter the code from your authenticator app."), code="required")
        checked = CodeForm(user=self.user, data={"code": code})
        if not checked.is_valid():
            raise forms.ValidationError(_("That code is not right. Please try a new one."), code="incorrect_code")
        self.code_form = checked
        return code


class DataRequestAdminForm(forms.Form):
    """Staff: export or erase on someone's behalf, with how their identity was checked."""

    email = forms.EmailField(label=_("The person's account email"))
    kind = forms.ChoiceField(label=_("Request"), choices=[("export", _("Export")), ("erase", _("Erasure"))])
    identity_check = forms.CharField(
        label=_("Identity check notes"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("How you confirmed that the request comes from the account's owner."),
    )

    def clean_email(self) -> User:
        user = User.objects.filter(email__iexact=self.cleaned_data["email"].strip()).first()
        if user is None:
            raise forms.ValidationError(_("No account has this email address."), code="unknown")
        return user


class SocialSignupForm(AllauthSocialSignupForm):
    """The Google or LinkedIn sign-up, when allauth cannot finish it alone: asks for the name too.

    allauth shows this form only when the provider's details are not enough (no
    address, an address already taken, a name our validator refuses).
    """

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        validators=[validate_full_name],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    field_order = ["full_name", "email"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].initial = getattr(self.sociallogin.user, "full_name", "")

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Please tell us your name."))
        return name

    def save(self, request: HttpRequest) -> User:
        self.sociallogin.user.full_name = self.cleaned_data["full_name"]
        return super().save(request)
