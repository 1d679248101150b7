from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from core.http import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        # allauth honours a safe ?next= before asking us; without one, each
        # role lands on its own home.
        user = request.user
        return user.home_url if user.is_authenticated else "/"

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return self.get_login_redirect_url(request)

    def get_client_ip(self, request: HttpRequest) -> str:
        # allauth keys its per-IP rate limits (login, failed logins, the second
        # factor, sign-up, password reset) and its security emails on this: the
        # same trusted-proxy rule as every other limit.
        return client_ip(request)
