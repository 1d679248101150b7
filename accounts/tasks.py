"""Background jobs for accounts. Tasks take ids and call a service."""

from notifications.services import email_send

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
    from .privacy_services import privacy_export_run as run

    run(request_id=request_id)


def privacy_erasures_run_due() -> int:
    """Daily: erase the accounts whose grace period is over."""
    from .privacy_services import privacy_erasures_run_due as run

    return run()


def privacy_exports_purge() -> int:
    """Daily: delete export archives whose download link has expired."""
    from .privacy_services import privacy_exports_purge as purge

    return purge()


def purge_expired_sessions() -> None:
    """Daily (retention): expired sign-in sessions are deleted."""
    from .privacy_services import sessions_purge

    sessions_purge()


def purge_unverified_accounts() -> int:
    """Daily (retention): accounts never confirmed nor used are deleted."""
    from .privacy_services import unverified_accounts_purge

    return unverified_accounts_purge()
