"""Side effects of account events, queued after the transaction commits."""

from allauth.account.signals import user_signed_up
from django.db import transaction
from django.dispatch import receiver
from django_q.tasks import async_task


@receiver(user_signed_up, dispatch_uid="accounts_welcome_email")
def queue_welcome_email(sender, request, user, **kwargs) -> None:  # noqa: ANN001
    user_id = user.pk
    transaction.on_commit(
        lambda: async_task("accounts.tasks.send_welcome_email", user_id, task_name=f"welcome-{user_id}")
    )
