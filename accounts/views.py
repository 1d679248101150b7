from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from notifications.errors import PhoneError
from notifications.phones import phone_code_confirm, phone_code_resend, phone_number_remove, phone_number_set
from notifications.selectors import phone_state, user_has_verified_phone
from notifications.services import notification_preferences, notification_preferences_set

from .errors import AccountsError
from .forms import ApiTokenForm, PhoneCodeForm, PhoneNumberForm, ProfileForm, ReminderChannelsForm
from .selectors import (
    api_tokens_of,
    session_enrolment_proven,
    user_can_open_admin,
    user_has_second_factor,
    user_sessions_listed,
)
from .services import (
    api_token_create,
    api_token_revoke,
    staff_mfa_enrolment_confirm,
    staff_mfa_enrolment_link_send,
    user_session_end,
    user_sessions_end_others,
)


def _settings_page(
    request: HttpRequest,
    *,
    form: ProfileForm | None = None,
    channels: ReminderChannelsForm | None = None,
    phone_form: PhoneNumberForm | None = None,
    code_form: PhoneCodeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The settings page: profile and reminder channels in one form, the mobile number in its own section."""
    phone = phone_state(user=request.user, now=timezone.now())
    if channels is None:
        chosen = notification_preferences(user=request.user)
        channels = ReminderChannelsForm(
            prefix="reminders",
            sms_available=phone.verified,
            initial={
                "reminder_email": chosen.reminder_email,
                "reminder_in_app": chosen.reminder_in_app,
                "reminder_sms": chosen.reminder_sms,
            },
        )
    context = {
        "form": form or ProfileForm(instance=request.user),
        "channels": channels,
        "phone": phone,
        "phone_form": phone_form or PhoneNumberForm(prefix="phone", zone=request.user.time_zone),
        "code_form": code_form or PhoneCodeForm(prefix="code"),
    }
    return render(request, "accounts/settings.html", context, status=status)


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    """The profile and the reminder channels, saved together by one button."""
    if request.method != "POST":
        return _settings_page(request)
    form = ProfileForm(request.POST, instance=request.user)
    chosen = notification_preferences(user=request.user)
    channels = ReminderChannelsForm(
        request.POST,
        prefix="reminders",
        sms_available=user_has_verified_phone(user=request.user),
        initial={"reminder_sms": chosen.reminder_sms},
    )
    if form.is_valid() and channels.is_valid():
        form.save()
        notification_preferences_set(user=request.user, **channels.cleaned_data)
        messages.success(request, _("Your settings are saved."))
        return redirect("account_settings")
    return _settings_page(request, form=form, channels=channels)


def _to_phone_section() -> HttpResponse:
    return redirect(reverse("account_settings") + "#phone")


@require_POST
@login_required
def phone_number_save(request: HttpRequest) -> HttpResponse:
    """Add or change the mobile number: stored unverified, and a code is texted to it."""
    phone_form = PhoneNumberForm(request.POST, prefix="phone", zone=request.user.time_zone)
    if not phone_form.is_valid():
        return _settings_page(request, phone_form=phone_form, status=400)
    try:
        phone_number_set(user=request.user, raw=phone_form.cleaned_data["number"], now=timezone.now())
    except PhoneError as refused:
        phone_form.add_error(None, refused.message)
        return _settings_page(request, phone_form=phone_form, status=400)
    messages.success(request, _("We have texted a 6-digit code to your number. Enter it below to verify it."))
    return _to_phone_section()


@require_POST
@login_required
def phone_code_verify(request: HttpRequest) -> HttpResponse:
    """Check the texted code; the number is verified only when it is right."""
    code_form = PhoneCodeForm(request.POST, prefix="code")
    if not code_form.is_valid():
        return _settings_page(request, code_form=code_form, status=400)
    try:
        phone_code_confirm(user=request.user, code=code_form.cleaned_data["code"], now=timezone.now())
    except PhoneError as refused:
        code_form.add_error(None, refused.message)
        return _settings_page(request, code_form=code_form, status=400)
    messages.success(request, _("Your mobile number is verified. You can now switch on text message reminders."))
    return _to_phone_section()


@require_POST
@login_required
def phone_code_resend_view(request: HttpRequest) -> HttpResponse:
    try:
        phone_code_resend(user=request.user, now=timezone.now())
    except PhoneError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("We have texted you a new code."))
    return _to_phone_section()


@require_POST
@login_required
def phone_number_remove_view(request: HttpRequest) -> HttpResponse:
    if phone_number_remove(user=request.user, now=timezone.now()):
        messages.success(request, _("Your mobile number is removed and text message reminders are off."))
    return _to_phone_section()


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


def _activate_url(next_url: str) -> str:
    return f"{reverse('mfa_activate_totp')}?{urlencode({'next': next_url})}"


@login_required
def staff_mfa_enrol(request: HttpRequest) -> HttpResponse:
    """Admins without a second factor ask here for an emailed set-up link."""
    if not user_can_open_admin(request.user):
        raise Http404  # everyone else sets up an authenticator freely from account settings
    next_url = _safe_next(request)
    if user_has_second_factor(request.user):
        return redirect(next_url)
    if session_enrolment_proven(
        request, request.user, max_age_seconds=settings.STAFF_MFA_ENROLMENT_LINK_MAX_AGE_SECONDS
    ):
        return redirect(_activate_url(next_url))
    sent = False
    if request.method == "POST":
        try:
            staff_mfa_enrolment_link_send(user=request.user)
        except AccountsError as error:
            messages.error(request, error.message)
        else:
            sent = True
    return render(request, "accounts/staff_mfa_enrol.html", {"sent": sent, "next": next_url})


@login_required
def staff_mfa_enrol_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: proves the mailbox, then hands over to allauth's authenticator set-up."""
    try:
        staff_mfa_enrolment_confirm(request=request, user=request.user, token=token)
    except AccountsError as error:
        messages.error(request, error.message)
        return redirect("staff_mfa_enrol")
    return redirect(_activate_url(reverse("wagtailadmin_home")))


@never_cache
@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's personal access tokens: make one (its secret shown on this answer only), see and revoke them."""
    form = ApiTokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = api_token_create(
                user=request.user, name=form.cleaned_data["name"], scopes=form.cleaned_data["scopes"]
            )
        except AccountsError as refused:
            form.add_error(None, refused.message)
        else:
            created = {"token": token, "secret": secret}
            form = ApiTokenForm()
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "created": created, "tokens": api_tokens_of(user=request.user)},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def api_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's tokens; anyone else's id gets the 404 an unknown one gets."""
    if not api_token_revoke(user=request.user, token_id=pk):
        raise Http404
    messages.success(request, _("The token is revoked; apps using it are signed out."))
    return redirect("api_tokens")


SESSIONS_PER_PAGE = 20


@never_cache
@login_required
def account_sessions(request: HttpRequest) -> HttpResponse:
    """Every signed-in session of the user: device, browser, rough place, last seen; end one or all others."""

    rows = user_sessions_listed(user=request.user, current_session_key=request.session.session_key)
    page = Paginator(rows, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/sessions.html",
        {"page": page, "sessions": page.object_list, "others": sum(1 for row in rows if not row.is_current)},
    )


@require_POST
@login_required
def account_session_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End one of the user's sessions; anyone else's id gets the 404 an unknown one gets."""
    current = request.session.session_key
    if not user_session_end(request=request, user=request.user, session_id=pk):
        raise Http404
    if not request.user.is_authenticated or request.session.session_key != current:
        # That was this browser's session: it is signed out now.
        return redirect("account_login")
    messages.success(request, _("That session is signed out."))
    return redirect("account_sessions")


@require_POST
@login_required
def account_sessions_end_others(request: HttpRequest) -> HttpResponse:
    ended = user_sessions_end_others(request=request, user=request.user)
    if ended:
        messages.success(request, _("Every other session is signed out."))
    else:
        messages.info(request, _("There were no other sessions to sign out."))
    return redirect("account_sessions")
