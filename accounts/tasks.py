"""Background jobs for accounts. Tasks take ids and call a service."""

from notifications.services import email_send

from . import privacy_services
from .models import User


def send_welcome_email(user_id: int) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return  # the account was removed before the job ran: nothing to send
    email_send(
        to=user.email,
        template="welcome",
        context={"user": user},
        language=user.preferred_language,
    )


def privacy_export_run(request_id: int) -> None:
    """Build one export ZIP and email its link (queued by privacy_export_request)."""
    privacy_services.privacy_export_run(request_id=request_id)


def privacy_erasures_run_due() -> int:
    """Daily: erase the accounts whose grace period is over."""
    return privacy_services.privacy_erasures_run_due()


def privacy_exports_purge() -> int:
    """Daily: delete export archives whose download link has expired."""
    return privacy_services.privacy_exports_purge()


def purge_expired_sessions() -> None:
    """Daily (retention): expired sign-in sessions are deleted."""
    privacy_services.sessions_purge()


def purge_unverified_accounts() -> int:
    """Daily (retention): accounts never confirmed nor used are deleted."""
    return privacy_services.unverified_accounts_purge()
