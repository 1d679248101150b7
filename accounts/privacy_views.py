"""The person's privacy page: export their data, ask for (or cancel) erasure, download an export."""

from __future__ import annotations

from urllib.parse import urlencode

from allauth.account.internal.flows.reauthentication import did_recently_reauthenticate
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.http import client_ip
from core.ratelimit import rate_limit_hit
from notifications.marketing import marketing_opt_in_set, marketing_unsubscribe, marketing_unsubscribe_user_id
from notifications.services import notification_preferences

from .errors import AccountsError
from .forms import ErasureConfirmForm
from .models import DataRequest
from .privacy_services import (
    privacy_erasure_blockers,
    privacy_erasure_cancel,
    privacy_erasure_consequences,
    privacy_erasure_pending,
    privacy_erasure_request,
    privacy_export_for_download,
    privacy_export_request,
)
from .security_events import LOG_EXPORT_DOWNLOADED, security_event_record

# Privacy actions per person per hour (exports are also one at a time, by a constraint).
PRIVACY_ACTIONS_PER_HOUR = 10


def _limited(request: HttpRequest) -> bool:
    return rate_limit_hit(
        scope="privacy",
        key=f"{request.user.pk}:{client_ip(request)}",
        limit=PRIVACY_ACTIONS_PER_HOUR,
        window_seconds=3600,
    )


def _confirmation(request: HttpRequest) -> dict:
    """How this person confirms an erasure: password and authenticator code, as usual; or, for an
    account whose only second factor is a passkey or that has no password, a fresh re-authentication
    with allauth (passkey or authenticator app) just before; an account with neither a password nor a
    second factor (Google or LinkedIn only) sets a password first."""
    user = request.user
    factor_types = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    has_code = bool(factor_types & {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES})
    passkey_only = Authenticator.Type.WEBAUTHN in factor_types and not has_code
    usual = {"needs_password": True, "needs_code": bool(factor_types), "reauthenticate_first": "", "reauth_url": ""}
    done = {"needs_password": False, "needs_code": False, "reauthenticate_first": "", "reauth_url": ""}
    back = "?" + urlencode({"next": reverse("privacy")})
    if not user.has_usable_password() and not factor_types:
        # allauth counts such an account as always re-authenticated (it has nothing to ask), so we ask
        # for a password to be set first: erasing stays a deliberate, checked step.
        return {
            **done,
            "reauthenticate_first": _(
                "You sign in with Google or LinkedIn only. Set a password first, so that we can check it is you."
            ),
            "reauth_url": reverse("account_set_password") + back,
        }
    if not passkey_only and user.has_usable_password():
        return usual
    if did_recently_reauthenticate(request):
        return done
    if passkey_only:
        return {
            **done,
            "reauthenticate_first": _("Confirm it is you with your passkey first, then erase within five minutes."),
            "reauth_url": reverse("mfa_reauthenticate_webauthn") + back,
        }
    return {
        **done,
        "reauthenticate_first": _("Confirm it is you with your authenticator app first."),
        "reauth_url": reverse("mfa_reauthenticate") + back,
    }


def _form(request: HttpRequest, data=None) -> ErasureConfirmForm:
    confirm = _confirmation(request)
    return ErasureConfirmForm(
        data,
        user=request.user,
        needs_code=confirm["needs_code"],
        needs_password=confirm["needs_password"],
        reauthenticate_first=confirm["reauthenticate_first"],
    )


def _page(request: HttpRequest, *, form: ErasureConfirmForm | None = None, status: int = 200) -> HttpResponse:
    user = request.user
    now = timezone.now()
    confirm = _confirmation(request)
    exports = list(DataRequest.objects.filter(subject=user, kind=DataRequest.Kind.EXPORT).order_by("-created_at")[:5])
    context = {
        "exports": exports,
        "export_open": any(item.is_open for item in exports),
        "erasure": privacy_erasure_pending(user=user),
        "blockers": privacy_erasure_blockers(user=user, now=now),
        "consequences": privacy_erasure_consequences(user=user, now=now),
        "form": form or _form(request),
        "reauth_url": confirm["reauth_url"],
        "reauth_reason": confirm["reauthenticate_first"],
        "grace_days": settings.PRIVACY_ERASURE_GRACE_DAYS,
        "link_days": settings.PRIVACY_EXPORT_LINK_DAYS,
        "marketing_email": notification_preferences(user=user).marketing_email,
    }
    return render(request, "accounts/privacy.html", context, status=status)


@never_cache
@login_required
def privacy(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
@login_required
def privacy_export(request: HttpRequest) -> HttpResponse:
    if _limited(request):
        messages.error(request, _("You have asked several times already. Please try again in an hour."))
        return redirect("privacy")
    try:
        privacy_export_request(subject=request.user, requested_by=request.user)
    except AccountsError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("We are preparing your data. We will email you a download link when it is ready."))
    return redirect("privacy")


@require_POST
@login_required
def privacy_erase(request: HttpRequest) -> HttpResponse:
    if _limited(request):
        messages.error(request, _("You have asked several times already. Please try again in an hour."))
        return redirect("privacy")
    form = _form(request, request.POST)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    if hasattr(form, "code_form"):
        form.code_form.save()  # allauth records the second factor's use (and the re-authentication)
    try:
        erasure = privacy_erasure_request(subject=request.user, requested_by=request.user)
    except AccountsError as refused:
        form.add_error(None, refused.message)
        return _page(request, form=form, status=400)
    messages.success(
        request,
        _("Your account will be erased on %(date)s. Until then you can sign in and cancel.")
        % {"date": timezone.localtime(erasure.due_at).strftime("%Y-%m-%d %H:%M %Z")},
    )
    return redirect("privacy")


@require_POST
@login_required
def privacy_erase_cancel(request: HttpRequest) -> HttpResponse:
    if privacy_erasure_cancel(subject=request.user, by=request.user):
        messages.success(request, _("The erasure is cancelled. Your account stays as it is."))
    return redirect("privacy")


@never_cache
@login_required
def privacy_export_download(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: only its owner, signed in, before it expires; anything else is a 404."""
    export = privacy_export_for_download(token=token, user=request.user)
    if export is None or not export.file_name:
        raise Http404
    try:
        handle = storages["private"].open(export.file_name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    security_event_record(user=request.user, action=LOG_EXPORT_DOWNLOADED, request=request, export=str(export.pk))
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"taptime-data-{export.created_at:%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@login_required
def marketing_consent(request: HttpRequest) -> HttpResponse:
    """The opt-in for news and offers by email (separate from everything a booking needs)."""
    marketing_opt_in_set(user=request.user, opted_in=request.POST.get("marketing_email") == "on")
    messages.success(request, _("Your choice about news and offers is saved."))
    return redirect(reverse("privacy") + "#consent")


@csrf_exempt  # RFC 8058: mail clients POST here without a session or a CSRF token; the signed token is the proof
@never_cache
@require_http_methods(["GET", "POST"])
def marketing_unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe from marketing email. GET shows a button (link scanners must not unsubscribe
    anyone); POST, from the page or from the mail client, unsubscribes."""
    if marketing_unsubscribe_user_id(token=token) is None:
        raise Http404
    if request.method == "POST":
        key = client_ip(request)
        if rate_limit_hit(scope="unsubscribe", key=key, limit=60, window_seconds=60):
            return HttpResponse(_("Too many requests; please try again in a minute."), status=429)
        marketing_unsubscribe(token=token)
        return render(request, "accounts/unsubscribe.html", {"done": True, "token": token})
    return render(request, "accounts/unsubscribe.html", {"done": False, "token": token})
