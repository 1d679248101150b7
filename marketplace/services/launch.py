"""A newly approved expert publishes their own page once the "almost live" checklist is complete.

The page approval created is a draft whose first revision a reviewer wrote from
the vetted application, and which waits in the moderation workflow. Staff may
publish it from there at any time; the expert may publish it themselves once
learners can book them (free time within their horizon and a price). Only that
reviewer-written revision: once the expert has changed the draft, their edit
waits for a moderator like any other profile change.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.locking import locked_transaction

from ..errors import GoLiveRefused
from ..models import ExpertPage, ExpertProfile, SessionType
from ..selectors.launch import expert_page_self_publishable
from .profiles import expert_source_page


@locked_transaction()
def expert_page_go_live(*, profile: ExpertProfile, user) -> ExpertPage:
    """Publish the approved draft for its expert: refused until the checklist is complete."""
    profile = ExpertProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.user_id != user.pk:
        raise GoLiveRefused(_("You can only publish your own page."))
    page = expert_source_page(profile=profile)
    if page.live:
        raise GoLiveRefused(_("Your page is already live."))
    if not SessionType.objects.filter(profile=profile, is_active=True).exists():
        raise GoLiveRefused(_("Offer at least one session before you publish."))
    if profile.next_available_at is None:
        raise GoLiveRefused(
            _(
                "Set your weekly hours first: learners need at least one free time to book. It can take a minute to show."
            )
        )
    if not expert_page_self_publishable(page=page, user=user):
        raise GoLiveRefused(
            _("Your latest changes are waiting for a moderator, who publishes your page once they approve them.")
        )
    # The expert holds no Wagtail publish permission: this service is the permission.
    page.latest_revision.publish(user=user, skip_permission_checks=True)
    return ExpertPage.objects.get(pk=page.pk)
