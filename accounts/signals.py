"""Side effects of account events, queued after the transaction commits."""

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from allauth.mfa import signals as mfa_signals
from allauth.socialaccount.signals import social_account_added, social_account_removed
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django_q.tasks import async_task

from core.http import client_ip

from .security_events import (
    LOG_MFA_ADDED,
    LOG_MFA_RECOVERY_RESET,
    LOG_MFA_REMOVED,
    LOG_SIGN_IN,
    security_event_record,
    sign_in_failure_record,
)
from .selectors import user_can_open_admin
from .services import known_device_record, provider_link_record, session_times_mark, staff_session_mark


@receiver(user_logged_in, dispatch_uid="accounts_staff_session")
def start_staff_session(sender, request, user, **kwargs) -> None:  # noqa: ANN001
    """A sign-in that can open an admin starts a session with a shorter life."""
    if request is not None and hasattr(request, "session") and user_can_open_admin(user):
        staff_session_mark(request)


@receiver(user_logged_in, dispatch_uid="accounts_session_times")
def start_session_clock(sender, request, user, **kwargs) -> None:  # noqa: ANN001
    """Every sign-in starts the idle and absolute clocks of its session, and is checked for a new device."""
    if request is None or not hasattr(request, "session"):
        return
    session_times_mark(request)
    known_device_record(user=user, user_agent=request.META.get("HTTP_USER_AGENT", ""), ip=client_ip(request))


@receiver(email_confirmed, dispatch_uid="accounts_welcome_email")
def queue_welcome_email(sender, request, email_address: EmailAddress, **kwargs) -> None:  # noqa: ANN001
    """Welcome a new member once their address is proven, never an address someone merely typed in.

    Only the account's first verified address gets it: confirming a changed
    address later is not a new member.
    """
    user_id = email_address.user_id
    if EmailAddress.objects.filter(user_id=user_id, verified=True).exclude(pk=email_address.pk).exists():
        return
    transaction.on_commit(
        lambda: async_task("accounts.tasks.send_welcome_email", user_id, task_name=f"welcome-{user_id}")
    )


@receiver(social_account_added, dispatch_uid="accounts_provider_linked")
def audit_provider_linked(sender, request, sociallogin, **kwargs) -> None:  # noqa: ANN001
    """Linking Google or LinkedIn to an existing account is a security event: it adds a way in."""
    account = sociallogin.account
    provider_link_record(user=account.user, provider=account.provider, linked=True)


@receiver(social_account_removed, dispatch_uid="accounts_provider_unlinked")
def audit_provider_unlinked(sender, request, socialaccount, **kwargs) -> None:  # noqa: ANN001
    provider_link_record(user=socialaccount.user, provider=socialaccount.provider, linked=False)


@receiver(user_logged_in, dispatch_uid="accounts_sign_in_logged")
def log_sign_in(sender, request, user, **kwargs) -> None:  # noqa: ANN001
    """Every sign-in (password, passkey, social, code) is a security event in the audit log."""
    security_event_record(user=user, action=LOG_SIGN_IN, request=request)


@receiver(user_login_failed, dispatch_uid="accounts_sign_in_failure_logged")
def log_sign_in_failure(sender, credentials, request=None, **kwargs) -> None:  # noqa: ANN001
    sign_in_failure_record(credentials=credentials or {}, request=request)


def _authenticator_receiver(action: str):
    def receive(sender, request, user, authenticator, **kwargs) -> None:  # noqa: ANN001
        security_event_record(user=user, action=action, request=request, kind=str(authenticator.type))

    return receive


# Kept at module level so the weak references Django's signals hold stay alive.
log_second_factor_added = _authenticator_receiver(LOG_MFA_ADDED)
log_second_factor_removed = _authenticator_receiver(LOG_MFA_REMOVED)
log_recovery_codes_reset = _authenticator_receiver(LOG_MFA_RECOVERY_RESET)
mfa_signals.authenticator_added.connect(log_second_factor_added, dispatch_uid="accounts_mfa_added_logged")
mfa_signals.authenticator_removed.connect(log_second_factor_removed, dispatch_uid="accounts_mfa_removed_logged")
mfa_signals.authenticator_reset.connect(log_recovery_codes_reset, dispatch_uid="accounts_mfa_reset_logged")
