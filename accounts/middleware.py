import zoneinfo
from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _


class UserTimezoneMiddleware:
    """Render times in the signed-in user's zone; storage stays UTC."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        zone_name = getattr(user, "time_zone", None) if user is not None and user.is_authenticated else None
        if zone_name:
            try:
                timezone.activate(zoneinfo.ZoneInfo(zone_name))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


# Pages outside i18n_patterns that still speak to the visitor: sign-in, sign-up,
# settings, dashboards, the booking flow (holding a time, review and pay, the
# booking page). The public site keeps its language in the URL instead.
ACCOUNT_LANGUAGE_PATHS = ("/accounts/", "/dashboard/", "/expert/", "/bookings/", "/experts/book/")


class AccountLanguageMiddleware:
    """Account and dashboard pages speak the visitor's language.

    These URLs carry no /es/ or /de/ prefix, so Django's LocaleMiddleware
    always picks English for them. Here a signed-in user gets their preferred
    language; anyone else the language cookie, then the browser's
    Accept-Language. The pages are private and never indexed, so varying them
    by header is safe.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(ACCOUNT_LANGUAGE_PATHS):
            return self.get_response(request)
        user = getattr(request, "user", None)
        supported = {code for code, _name in settings.LANGUAGES}
        language = getattr(user, "preferred_language", None) if user is not None and user.is_authenticated else None
        if language not in supported:
            language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class StaffSecondFactorMiddleware:
    """Staff cannot use either admin until they have a second factor.

    allauth already asks for the second factor at login once one exists; this
    closes the gap for staff who never set one up. Switched by STAFF_MFA_REQUIRED
    (on by default; the local demo and the test settings turn it off).
    """

    ADMIN_PREFIXES = ("/admin/", "/django-admin/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.STAFF_MFA_REQUIRED
            and request.path.startswith(self.ADMIN_PREFIXES)
            and user is not None
            and user.is_authenticated
            and user.is_staff
            and not Authenticator.objects.filter(
                user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
            ).exists()
        ):
            messages.warning(request, _("Set up two-factor authentication before using the admin."))
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)
