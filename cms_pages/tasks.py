"""Background jobs of the public site (django-q2)."""

from django.core.management import call_command

from .renditions import image_renditions_generate
from .services import form_submissions_purge, page_revisions_prune


def publish_scheduled_pages() -> None:
    """Publish pages whose go-live time has come and unpublish expired ones.

    Runs every minute (``core.schedules.SCHEDULES``); Wagtail's
    command is idempotent, so an overlapping or repeated run does no harm.
    """
    call_command("publish_scheduled")


def purge_form_submissions() -> int:
    """Daily (retention): contact and feedback submissions past their retention period."""

    return form_submissions_purge()


def prune_page_revisions() -> int:
    """Daily (retention): revisions beyond the newest N of each page and snippet."""

    return page_revisions_prune()


def generate_image_renditions(image_id: int) -> int:
    """Queued when an image is saved: every rendition the public pages show, made once (cms_pages.renditions)."""

    return image_renditions_generate(image_id=image_id)
