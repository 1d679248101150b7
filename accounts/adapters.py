from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.emailkit import valid_email_or_none
from allauth.account.utils import user_email
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter, _build_apps_from_settings
from allauth.socialaccount.models import SocialApp, SocialLogin
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest

from core.base_url import on_public_site, public_url
from core.http import client_ip

from .first_run import first_run_url
from .secrets import secret_decrypt, secret_encrypt
from .validators import validate_full_name

# allauth's emailed links, built from the request's host; moved onto BASE_URL below.
EMAILED_LINKS = ("activate_url", "password_reset_url", "signup_url")


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        # allauth honours a safe ?next= before asking us; without one, each
        # role lands on its own home.
        user = request.user
        if not user.is_authenticated:
            return "/"
        # A new learner who has neither finished nor skipped onboarding starts there
        # (registered by learning; accounts.first_run).
        return first_run_url(user) or user.home_url

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return self.get_login_redirect_url(request)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Every allauth mail links to the public address (``BASE_URL``), like the rest of our mail.

        allauth builds its links from the host the request came in on, so a mail
        sent while browsing ``localhost:9000`` and one sent behind a proxy would
        disagree with the booking emails; the footer needs ``base_url`` too.
        """
        context = {**context, "base_url": public_url()}
        for key in EMAILED_LINKS:
            if context.get(key):
                context[key] = on_public_site(context[key])
        super().send_mail(template_prefix, email, context)

    def send_notification_mail(
        self,
        template_prefix: str,
        user: AbstractBaseUser,
        context: dict[str, Any] | None = None,
        email: str | None = None,
    ) -> None:
        super().send_notification_mail(template_prefix, user, context, email)
        if template_prefix == "account/email/email_changed" and context and context.get("to_email"):
            # allauth tells the old address; the new one hears it too, so both
            # inboxes have a record of the change.
            super().send_notification_mail(template_prefix, user, context, context["to_email"])

    def get_client_ip(self, request: HttpRequest) -> str:
        # allauth keys its per-IP rate limits (login, failed logins, the second
        # factor, sign-up, password reset) and its security emails on this: the
        # same trusted-proxy rule as every other limit.
        return client_ip(request)


class MFAAdapter(DefaultMFAAdapter):
    """TOTP keys and recovery-code seeds are stored encrypted (accounts.secrets)."""

    def encrypt(self, text: str) -> str:
        return secret_encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return secret_decrypt(encrypted_text)


def provider_says_verified(extra_data: dict[str, Any], email: str) -> bool:
    """Whether the provider's own answer marks ``email`` as verified: the JSON value ``true``, nothing looser.

    Google puts ``email_verified`` in the id_token (``verified_email`` in its
    older userinfo); LinkedIn's OpenID Connect userinfo and id_token carry
    ``email_verified``. allauth reads these with ``bool()`` or a default, so a
    string ``"false"`` would count as verified there; here only ``True`` does,
    and only for the address the same claims name.
    """
    claims = [extra_data]
    claims += [extra_data[key] for key in ("userinfo", "id_token") if isinstance(extra_data.get(key), dict)]
    for claim in claims:
        if str(claim.get("email", "")).strip().lower() != email.strip().lower():
            continue
        if claim.get("email_verified") is True or claim.get("verified_email") is True:
            return True
    return False


class ProviderNotConfigured(SocialApp.DoesNotExist, Http404):
    """No keys for this provider: allauth's "no app" error that Django also answers with a 404."""


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Google and LinkedIn sign-in: addresses trusted only when the provider verified them, names kept."""

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        # Runs before allauth decides between sign-in, sign-up and "address taken":
        # an unverified provider address is then confirmed by email like any sign-up's.
        for address in sociallogin.email_addresses:
            address.verified = provider_says_verified(sociallogin.account.extra_data or {}, address.email)

    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data: dict[str, Any]):
        # allauth's own version sets first_name and last_name, which are read-only properties here.
        user = sociallogin.user
        user_email(user, valid_email_or_none(data.get("email")) or "")
        name = data.get("name") or " ".join(part for part in (data.get("first_name"), data.get("last_name")) if part)
        user.full_name = " ".join(str(name or "").split())[:150]
        user.email = (user.email or "").lower()
        return user

    def list_apps(self, request: HttpRequest, provider=None, client_id=None) -> list[SocialApp]:  # noqa: ANN001
        """The providers configured in settings (from the environment) only: no SocialApp rows, no query per page."""
        apps = _build_apps_from_settings(provider=provider, client_id=client_id)
        return [app for provider_apps in apps.values() for app in provider_apps]

    def get_app(self, request: HttpRequest, provider, client_id=None) -> SocialApp:  # noqa: ANN001
        try:
            return super().get_app(request, provider, client_id)
        except SocialApp.DoesNotExist as missing:
            # A provider without keys has no pages: its URLs answer 404 rather than 500.
            raise ProviderNotConfigured(provider) from missing

    def is_auto_signup_allowed(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        # A name our validator refuses (or none) sends the person to the sign-up form to type one.
        name = getattr(sociallogin.user, "full_name", "")
        try:
            validate_full_name(name)
        except ValidationError:
            return False
        return bool(name) and super().is_auto_signup_allowed(request, sociallogin)

    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form=None):  # noqa: ANN001
        user = sociallogin.user
        language = getattr(request, "LANGUAGE_CODE", None)
        if language in dict(settings.LANGUAGES):
            user.preferred_language = language
        return super().save_user(request, sociallogin, form)

    def get_client_ip(self, request: HttpRequest) -> str:
        return client_ip(request)
