from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from core.base_url import on_public_site, public_url

# allauth's emailed links, built from the request's host; moved onto BASE_URL below.
EMAILED_LINKS = ("activate_url", "password_reset_url", "signup_url")


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        # allauth honours a safe ?next= before asking us; without one, each
        # role lands on its own home.
        user = request.user
        return user.home_url if user.is_authenticated else "/"

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
