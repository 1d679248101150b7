"""Background jobs of the public site (django-q2)."""

from django.core.management import call_command


def publish_scheduled_pages() -> None:
    """Publish pages whose go-live time has come and unpublish expired ones.

    Runs every minute (``core.schedules.SCHEDULES``); Wagtail's
    command is idempotent, so an overlapping or repeated run does no harm.
    """
    call_command("publish_scheduled")
