"""State changes of the account area: the emailed set-up link for an admin's second factor, admin sessions.

Why a link: without it, whoever holds a not-yet-enrolled admin's password is
sent to set up an authenticator, allauth asks only for that same password again,
and the attacker's phone becomes the account's second factor (trust on first
use). The link goes to the account's own verified address, so enrolling needs
the mailbox as well as the password.
"""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime, timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.apps import apps
from django.conf import settings
from django.contrib.auth import logout
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from notifications.services import email_send

from .devices import device_from_user_agent, place_from_ip
from .errors import AccountsError, EnrolmentLinkLimited
from .models import ApiToken, KnownDevice, User
from .person_registry import suspension_rules
from .secrets import ENCRYPTED_COLUMNS, secret_rotate
from .selectors import (
    API_TOKEN_PREFIX,
    ENROLMENT_SESSION_KEY,
    SESSION_SEEN_KEY,
    SESSION_STARTED_KEY,
    STAFF_SESSION_KEY,
    api_token_hash,
    user_can_open_admin,
    user_has_second_factor,
)
from .tokens import enrolment_token_make, enrolment_token_valid

# Active personal access tokens per user.
MAX_API_TOKENS = 20


def _links_sent_key(user: User) -> str:
    return f"staff-mfa-enrolment-links:{user.pk}"


def staff_mfa_enrolment_link_send(*, user: User) -> None:
    """Email ``user`` a one-time link that lets the session opening it set up a second factor."""
    if not user_can_open_admin(user):
        raise AccountsError(
            _("Only accounts that use the admin set up their second factor this way."), code="not_admin"
        )
    if user_has_second_factor(user):
        raise AccountsError(_("Your account already has a second factor."), code="already_enrolled")
    window = settings.STAFF_MFA_ENROLMENT_LINK_WINDOW_SECONDS
    key = _links_sent_key(user)
    cache.add(key, 0, timeout=window)
    try:
        sent = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        sent = 1
    if sent > settings.STAFF_MFA_ENROLMENT_LINKS_PER_WINDOW:
        raise EnrolmentLinkLimited(
            _("We have sent you several set-up links already. Please use the newest one, or try again in an hour.")
        )
    token = enrolment_token_make(user, has_second_factor=False)
    path = reverse("staff_mfa_enrol_confirm", kwargs={"token": token})
    email, language = user.email, user.preferred_language
    minutes = settings.STAFF_MFA_ENROLMENT_LINK_MAX_AGE_SECONDS // 60
    transaction.on_commit(
        lambda: email_send(
            to=email,
            template="staff_mfa_enrolment",
            context={"path": path, "minutes": minutes},
            language=language,
        )
    )


def staff_mfa_enrolment_confirm(*, request: HttpRequest, user: User, token: str) -> None:
    """Record in this session that ``user`` opened a valid set-up link; refuse any other token."""
    if user_has_second_factor(user) or not enrolment_token_valid(
        token,
        user=user,
        has_second_factor=False,
        max_age_seconds=settings.STAFF_MFA_ENROLMENT_LINK_MAX_AGE_SECONDS,
    ):
        raise AccountsError(
            _("This set-up link has expired or was not meant for this account. Ask for a new one."),
            code="invalid_link",
        )
    request.session[ENROLMENT_SESSION_KEY] = {"user": user.pk, "at": time.time()}


def staff_session_mark(request: HttpRequest) -> float:
    """Start the shorter life of a session that can open an admin (see StaffSessionLifetimeMiddleware)."""
    started = time.time()
    request.session[STAFF_SESSION_KEY] = started
    request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
    return started


def api_token_create(*, user: User, name: str, scopes: list[str]) -> tuple[ApiToken, str]:
    """Make a token and return it with its secret, which is never stored and cannot be shown again."""
    known = {scope for scope, _label in ApiToken.SCOPES}
    if not scopes or not set(scopes) <= known:
        raise AccountsError(_("Choose at least one of the listed scopes."), code="bad_scopes")
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_API_TOKENS:
        raise AccountsError(
            _("You have %(count)s active tokens; revoke one first.") % {"count": MAX_API_TOKENS}, code="too_many"
        )
    secret = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:80],
        prefix=secret[:10],
        secret_hash=api_token_hash(secret),
        scopes=[scope for scope, _label in ApiToken.SCOPES if scope in scopes],
    )
    return token, secret


def api_token_revoke(*, user: User, token_id: int) -> bool:
    """Revoke one of the user's own tokens; False if it is not theirs or already revoked."""
    return bool(
        ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    )


def api_token_touch(*, token: ApiToken, now=None) -> None:
    """Record when a token was used, at most once a minute (no write on every request)."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


# --- The operations console's actions on a person (``accounts.admin_people``) -----------------------

MANAGE_PEOPLE_PERMISSION = "accounts.change_user"
LOG_SUSPEND = "taptime.user.suspend"
LOG_REACTIVATE = "taptime.user.reactivate"
LOG_MFA_RESET = "taptime.user.second_factor_reset"
LOG_VERIFICATION_RESEND = "taptime.user.verification_resend"
# The person's own security actions, written to the same audit log (shown on their page in the console).
LOG_SESSION_END = "taptime.user.session_end"
LOG_SESSIONS_END_OTHERS = "taptime.user.sessions_end_others"
LOG_PROVIDER_LINK = "taptime.user.provider_link"
LOG_PROVIDER_UNLINK = "taptime.user.provider_unlink"
KEEP_SESSIONS = "keep"
STAFF_REASON_MAX = 2000


def _staff_reason(*, by, reason: str | None, target: User | None = None) -> str:
    if not getattr(by, "is_authenticated", False) or not by.has_perm(MANAGE_PEOPLE_PERMISSION):
        raise AccountsError(_("You may not change people's accounts."), code="forbidden")
    if target is not None and (target.pk == by.pk or (target.is_superuser and not by.is_superuser)):
        raise AccountsError(_("You may not do this to your own account or an administrator's."), code="forbidden")
    reason = (reason or "").strip()
    if not reason:
        raise AccountsError(_("Please give the reason; it is kept in the audit log."), code="no_reason")
    if len(reason) > STAFF_REASON_MAX:
        raise AccountsError(_("Please keep the reason under %(n)d characters.") % {"n": STAFF_REASON_MAX}, code="long")
    return reason


def user_suspend(*, user: User, by, reason: str, upcoming: str = KEEP_SESSIONS) -> int:
    """Suspend: the person can no longer sign in (inactive; their sessions end at the next request) nor
    be booked (holds refuse inactive learners and experts). Their upcoming sessions follow ``upcoming``:
    kept, or a registered rule (billing: cancelled with a full refund), applied after the suspension
    committed. Logged with the reason and rule in the suspension's transaction. Returns sessions handled."""

    reason = _staff_reason(by=by, reason=reason, target=user)
    rules = suspension_rules()
    if upcoming != KEEP_SESSIONS and upcoming not in rules:
        raise AccountsError(_("Please choose what happens to the upcoming sessions."), code="bad_rule")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if not locked.is_active:
            raise AccountsError(_("This account is already suspended."), code="already")
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        log(instance=locked, action=LOG_SUSPEND, user=by, data={"reason": reason, "upcoming": upcoming})
    user.is_active = False
    return 0 if upcoming == KEEP_SESSIONS else rules[upcoming].apply(user=locked, by=by, reason=reason)


def user_reactivate(*, user: User, by, reason: str) -> User:

    reason = _staff_reason(by=by, reason=reason, target=user)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.is_active:
            raise AccountsError(_("This account is active."), code="already")
        locked.is_active = True
        locked.save(update_fields=["is_active"])
        log(instance=locked, action=LOG_REACTIVATE, user=by, data={"reason": reason})
    return locked


def user_second_factor_reset(*, user: User, by, reason: str) -> int:
    """Remove every second factor (authenticator apps, security keys, recovery codes), so the person
    enrols again at the next sign-in; staff never see the secrets. Returns how many were removed."""

    reason = _staff_reason(by=by, reason=reason, target=user)
    with transaction.atomic():
        removed, _by_type = Authenticator.objects.filter(user=user).delete()
        log(instance=user, action=LOG_MFA_RESET, user=by, data={"reason": reason, "removed": removed})
    return removed


def user_verification_resend(*, user: User, by, request: HttpRequest | None = None) -> bool:
    """Send the email-address confirmation again (allauth's own message) when the primary address is
    not verified; logged. False when there is nothing to verify."""

    _staff_reason(by=by, reason="resend", target=user)
    address = EmailAddress.objects.filter(user=user, verified=False).order_by("-primary").first()
    if address is None:
        return False
    with transaction.atomic():
        log(instance=user, action=LOG_VERIFICATION_RESEND, user=by, data={"email": address.email})
    address.send_confirmation(request)
    return True


def session_times_mark(request: HttpRequest, *, now: float | None = None) -> float:
    """Record when this session signed in and was last seen (see SessionTimeoutMiddleware)."""
    now = time.time() if now is None else now
    request.session[SESSION_STARTED_KEY] = now
    request.session[SESSION_SEEN_KEY] = now
    return now


def session_seen_record(*, session_key: str | None, user: User, seen: float) -> None:
    """Move the sessions screen's "last seen" of this session to ``seen`` (one UPDATE, no read)."""

    if session_key:
        UserSession.objects.filter(session_key=session_key, user=user).update(
            last_seen_at=datetime.fromtimestamp(seen, tz=UTC)
        )


def known_device_record(*, user: User, user_agent: str, ip: str) -> bool:
    """Remember the device of a sign-in; email the user when it is new to an account that had others.

    Returns whether the email was queued. The first device an account ever
    signs in from (its sign-up, or the first sign-in after this feature
    shipped) is recorded silently: there is nothing to compare it with. The
    unique (user, fingerprint) row makes two simultaneous sign-ins from one new
    device send one email, not two.
    """
    device = device_from_user_agent(user_agent)
    now = timezone.now()
    had_devices = KnownDevice.objects.filter(user=user).exists()
    known, created = KnownDevice.objects.get_or_create(
        user=user,
        fingerprint=device.fingerprint(user.pk),
        defaults={"label": str(device.label)[:120], "first_seen_at": now, "last_seen_at": now},
    )
    if not created:
        KnownDevice.objects.filter(pk=known.pk).update(last_seen_at=now)
        return False
    if not had_devices:
        return False
    context = {
        "device": str(device.label),
        "place": place_from_ip(ip),
        "ip": ip,
        "when": now.strftime("%Y-%m-%d %H:%M"),
        "path": reverse("account_sessions"),
    }
    email, language = user.email, user.preferred_language
    transaction.on_commit(
        lambda: email_send(to=email, template="new_device_sign_in", context=context, language=language)
    )
    return True


def user_session_end(*, request: HttpRequest, user: User, session_id: int) -> bool:
    """Sign out one of the user's own sessions; False when it is not theirs (or already gone).

    Ending the session in use signs this browser out, like the sign-out button.
    """

    row = UserSession.objects.filter(pk=session_id, user=user).first()
    if row is None:
        return False
    data = {"device": str(device_from_user_agent(row.user_agent).label), "ip": row.ip}
    if row.session_key == request.session.session_key:
        log(instance=user, action=LOG_SESSION_END, user=user, data={**data, "this_device": True})
        logout(request)
        return True
    with transaction.atomic():
        row.end()
        log(instance=user, action=LOG_SESSION_END, user=user, data=data)
    return True


def user_sessions_end_others(*, request: HttpRequest, user: User) -> int:
    """Sign out every session of the user but this one; how many were ended."""

    ended = 0
    with transaction.atomic():
        for row in UserSession.objects.filter(user=user).exclude(session_key=request.session.session_key):
            row.end()
            ended += 1
        if ended:
            log(instance=user, action=LOG_SESSIONS_END_OTHERS, user=user, data={"ended": ended})
    return ended


def provider_link_record(*, user: User, provider: str, linked: bool) -> None:
    """Audit a Google or LinkedIn sign-in linked to, or removed from, the account (never its tokens)."""

    action = LOG_PROVIDER_LINK if linked else LOG_PROVIDER_UNLINK
    log(instance=user, action=action, user=user, data={"provider": provider[:50]})


# Where allauth keeps second-factor secrets inside an authenticator's JSON ``data``.
MFA_SECRET_KEYS = ("secret", "seed")


def secrets_rotate(*, batch_size: int = 500) -> dict[str, int]:
    """Re-encrypt every stored secret under the first of MFA_ENCRYPTION_KEYS; how many values each column had.

    Each row is rewritten only if it still holds the value read (compare and
    set), so a secret changed meanwhile by its owner is left alone rather than
    overwritten with the old one; a rerun picks it up. Values that no key
    decrypts stop the run with RuntimeError before anything of that row is written.
    """

    counts: dict[str, int] = {}
    for label, fields in sorted(ENCRYPTED_COLUMNS.items()):
        model = apps.get_model(label)
        for field in fields:
            rotated = 0
            rows = model.objects.exclude(**{field: ""}).values_list("pk", field)
            for pk, stored in rows.iterator(chunk_size=batch_size):
                new = secret_rotate(stored)
                rotated += model.objects.filter(pk=pk, **{field: stored}).update(**{field: new})
            counts[f"{label}.{field}"] = rotated
    rotated = 0
    mfa_types = (Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES)
    for pk, data in (
        Authenticator.objects.filter(type__in=mfa_types).values_list("pk", "data").iterator(chunk_size=batch_size)
    ):
        new = dict(data)
        for key in MFA_SECRET_KEYS:
            if isinstance(new.get(key), str):
                new[key] = secret_rotate(new[key])
        if isinstance(new.get("migrated_codes"), list):
            new["migrated_codes"] = [secret_rotate(code) for code in new["migrated_codes"]]
        with transaction.atomic():
            current = Authenticator.objects.select_for_update().filter(pk=pk).values_list("data", flat=True).first()
            if current == data:
                Authenticator.objects.filter(pk=pk).update(data=new)
                rotated += 1
    counts["mfa.Authenticator.data"] = rotated
    return counts
