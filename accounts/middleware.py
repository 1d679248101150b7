import time
import zoneinfo
from collections.abc import Callable

from allauth.socialaccount.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .selectors import (
    SESSION_SEEN_KEY,
    SESSION_STARTED_KEY,
    STAFF_SESSION_KEY,
    session_enrolment_proven,
    session_used_second_factor,
    user_can_open_admin,
    user_has_second_factor,
)
from .services import session_seen_record, session_times_mark, staff_session_mark


def clock() -> float:
    """Seconds since the epoch; the session timeouts read the time only here (tests move it)."""
    return time.time()


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
ACCOUNT_LANGUAGE_PATHS = (
    "/accounts/",
    "/dashboard/",
    "/expert/",
    "/bookings/",
    "/experts/book/",
    "/join/apply/",
    "/join/application/",
    "/join/documents/",
)


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


class StaffSessionLifetimeMiddleware:
    """A session that can open an admin ends 8 hours after sign-in, or after 30 idle minutes.

    The session is marked at sign-in (``accounts.signals``) or on its first
    admin page; from then on every request renews the idle expiry, which the
    session backend enforces itself (the database row or cache entry expires),
    and a session past its absolute lifetime is signed out here.
    STAFF_SESSION_MAX_AGE_SECONDS and STAFF_SESSION_IDLE_SECONDS set the two.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        started = request.session.get(STAFF_SESSION_KEY)
        if started is None and self._privileged(request, user):
            started = staff_session_mark(request)
        if started is not None:
            if time.time() - started > settings.STAFF_SESSION_MAX_AGE_SECONDS:
                logout(request)
                messages.info(
                    request, _("For your security, admin sessions end after a few hours. Please sign in again.")
                )
                return redirect_to_login(request.get_full_path())
            request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
        return self.get_response(request)

    @staticmethod
    def _privileged(request: HttpRequest, user) -> bool:
        # The flags cost no query; the permission check runs only on admin pages.
        return (
            user.is_staff
            or user.is_superuser
            or (request.path_info.startswith(StaffSecondFactorMiddleware.ADMIN_PREFIXES) and user_can_open_admin(user))
        )


class StaffSecondFactorMiddleware:
    """No one opens either admin without a second factor passed in this login session.

    Who: every account either admin opens for (``user_can_open_admin``: Wagtail's
    ``access_admin`` permission, directly or through a group, superusers, staff),
    not only ``is_staff``. What: this session's allauth authentication records
    hold an ``mfa`` entry; owning an authenticator is not enough. Accounts with
    an authenticator confirm a code (allauth's reauthentication by second
    factor); accounts without one ask for an emailed set-up link first, and
    only a session that opened that link may set up an authenticator (see
    ``accounts.services``). Switched by STAFF_MFA_REQUIRED (on by default; the
    local demo and the test settings turn it off).
    """

    ADMIN_PREFIXES = ("/admin/", "/django-admin/")
    # allauth's pages that bind a new second factor to the account.
    ENROLMENT_URL_NAMES = ("mfa_activate_totp", "mfa_add_webauthn")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.STAFF_MFA_REQUIRED:
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        path = request.path_info
        if path.startswith(self.ADMIN_PREFIXES):
            if user_can_open_admin(user) and not session_used_second_factor(request, user):
                return self._second_factor_step(request, user, next_url=request.get_full_path_info())
        elif path in self._enrolment_paths() and self._enrolment_unproven(request, user):
            return redirect(f"{reverse('staff_mfa_enrol')}?{urlencode({'next': reverse('wagtailadmin_home')})}")
        return self.get_response(request)

    def _enrolment_unproven(self, request: HttpRequest, user) -> bool:
        """An admin without a second factor, in a session that has not opened an emailed set-up link."""
        return (
            user_can_open_admin(user)
            and not user_has_second_factor(user)
            and not session_enrolment_proven(
                request, user, max_age_seconds=settings.STAFF_MFA_ENROLMENT_LINK_MAX_AGE_SECONDS
            )
        )

    def _enrolment_paths(self) -> set[str]:
        paths = set()
        for name in self.ENROLMENT_URL_NAMES:
            try:
                paths.add(reverse(name))
            except NoReverseMatch:  # that kind of authenticator is not enabled
                continue
        return paths

    def _second_factor_step(self, request: HttpRequest, user, *, next_url: str) -> HttpResponse:
        query = urlencode({"next": next_url})
        if user_has_second_factor(user):
            messages.warning(request, _("Confirm it is you with your authenticator app before using the admin."))
            return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
        messages.warning(request, _("Set up two-factor authentication before using the admin."))
        return redirect(f"{reverse('staff_mfa_enrol')}?{query}")


class SessionTimeoutMiddleware:
    """Every signed-in session ends after an idle spell or an absolute lifetime, shorter for the admins.

    Sign-in records when the session started and was last seen
    (``accounts.signals``); a session from before this middleware gets both now.
    Each request checks them against SESSION_IDLE_SECONDS and
    SESSION_MAX_AGE_SECONDS, or the STAFF_ pair for a session that can open an
    admin (``STAFF_SESSION_KEY``, set by StaffSessionLifetimeMiddleware), and
    renews "last seen" at most once a SESSION_SEEN_RESOLUTION_SECONDS, so a busy
    page does not rewrite its session on every request. The session backend's
    own expiry (SESSION_COOKIE_AGE, the idle time) drops the stored row too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is None or session is None or not user.is_authenticated:
            return self.get_response(request)
        now = clock()
        started = session.get(SESSION_STARTED_KEY)
        seen = session.get(SESSION_SEEN_KEY)
        if not isinstance(started, int | float) or not isinstance(seen, int | float):
            session_times_mark(request, now=now)
            return self.get_response(request)
        if STAFF_SESSION_KEY in session:
            max_age, idle = settings.STAFF_SESSION_MAX_AGE_SECONDS, settings.STAFF_SESSION_IDLE_SECONDS
        else:
            max_age, idle = settings.SESSION_MAX_AGE_SECONDS, settings.SESSION_IDLE_SECONDS
        if now - started > max_age or now - seen > idle:
            logout(request)
            messages.info(request, _("For your security, you were signed out. Please sign in again."))
            return redirect_to_login(request.get_full_path())
        if now - seen >= settings.SESSION_SEEN_RESOLUTION_SECONDS:
            session[SESSION_SEEN_KEY] = now
            session_seen_record(session_key=session.session_key, user=user, seen=now)
        return self.get_response(request)


class SocialSignInCSPMiddleware:
    """Let the account pages' forms leave for a configured provider's consent screen.

    Pressing "Google" or "Link LinkedIn" posts to our own URL, which redirects to
    the provider; the site's ``form-action 'self'`` would stop that redirect in
    the browser. Under /accounts/ only, and only for providers with keys, the
    provider's authorization origin is added to ``form-action`` (django-csp's
    per-response update). Sits inside core.csp.AreaCSPMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path_info.startswith("/accounts/"):
            return response

        origins = sorted(
            {
                settings.SOCIAL_SIGN_IN_ORIGINS[app.provider_id or app.provider]
                for app in get_adapter(request).list_apps(request)
                if (app.provider_id or app.provider) in settings.SOCIAL_SIGN_IN_ORIGINS
            }
        )
        if origins:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["form-action"] = [*update.get("form-action", []), *origins]
            response._csp_update = update
        return response
