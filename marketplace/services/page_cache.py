"""An expert's public pages leave the page cache and the CDN when something they show changes.

Publishing, unpublishing and moving the page itself are Wagtail's (``core.page_cache``).
This covers what is not a page publish: prices and packages, the profile's fields
(pause, rating and sessions completed, time zone), the verification record and the
reviews section. The expert index above the pages (browse cards show prices and ratings) is
purged with them.
"""

from __future__ import annotations

from django.db import transaction
from wagtail.contrib.frontend_cache.utils import PurgeBatch

from ..models import ExpertPage


def expert_pages_purge(*, profile_id: int) -> None:
    """Purge every live page (each language) of this expert, and their parents, once the change commits."""

    def purge() -> None:
        pages = list(ExpertPage.objects.live().filter(profile_id=profile_id))
        if not pages:
            return
        batch = PurgeBatch()
        batch.add_pages(pages)
        batch.add_pages({parent.pk: parent for parent in (page.get_parent() for page in pages)}.values())
        batch.purge()

    transaction.on_commit(purge, robust=True)
