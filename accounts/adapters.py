from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

from core.base_url import on_public_site, public_url
from core.http import client_ip

from .first_run import first_run_url
from .secrets import secret_decrypt, secret_encrypt

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
