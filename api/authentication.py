"""Who is calling: a personal access token (``Authorization: Bearer tt_…``), or the site's session with CSRF."""

from __future__ import annotations

from allauth.headless.contrib.rest_framework.authentication import XSessionTokenAuthentication
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from accounts.models import ApiToken
from accounts.selectors import api_token_find
from accounts.services import api_token_touch


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``request.auth`` is the ``ApiToken``; its scopes limit what the request may do (``api.permissions``).

    First in the list, so an unauthenticated request gets a 401 with
    ``WWW-Authenticate: Bearer`` rather than the session's 403.
    """

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send one token after “Bearer”."))
        try:
            secret = header[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("This token is not valid or was revoked.")) from None
        token: ApiToken | None = api_token_find(secret=secret)
        if token is None:
            raise exceptions.AuthenticationFailed(_("This token is not valid or was revoked."))
        api_token_touch(token=token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'


class AppSessionTokenAuthentication(XSessionTokenAuthentication):
    """An app signed in through allauth's headless API (``/_allauth/app/v1/auth/login``) sends
    ``X-Session-Token``; it acts as the user's session would, without CSRF (no cookies are involved)."""
