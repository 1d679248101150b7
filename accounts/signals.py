"""Side effects of account events, queued after the transaction commits."""

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.db import transaction
from django.dispatch import receiver
from django_q.tasks import async_task


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
