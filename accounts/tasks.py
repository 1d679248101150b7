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
