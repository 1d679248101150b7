"""The "almost live" checklist a newly approved expert sees in ``/expert/`` until their page is published."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import WorkflowState

from ..models.offerings import SessionType
from ..models.profiles import ExpertProfile

if TYPE_CHECKING:
    from ..models.pages import ExpertPage


@dataclass(frozen=True)
class LaunchItem:
    label: str
    done: bool | None  # None: nothing to tick (an action or something not built yet)
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class LaunchChecklist:
    items: list[LaunchItem] = field(default_factory=list)
    can_publish: bool = False
    # The expert changed the draft: a moderator publishes it after review.
    waiting_for_moderator: bool = False

    @property
    def ready(self) -> bool:
        return all(item.done is not False for item in self.items)


def expert_page_self_publishable(*, page: ExpertPage, user) -> bool:
    """Whether the page is the never-published draft approval wrote, unchanged by the expert and not sent back."""
    if page.live or page.first_published_at is not None:
        return False
    revision = page.latest_revision
    if revision is None or revision.user_id == user.pk:
        return False
    state = page.current_workflow_state
    return state is None or state.status == WorkflowState.STATUS_IN_PROGRESS


def expert_launch_checklist(*, profile: ExpertProfile, page: ExpertPage | None, user) -> LaunchChecklist | None:
    """The checklist while the expert's page has never been live; None once it has (or there is no page)."""
    if page is None or page.live or page.first_published_at is not None:
        return None
    has_prices = SessionType.objects.filter(profile=profile, is_active=True).exists()
    items = [
        LaunchItem(_("Your application was approved"), True),
        LaunchItem(
            _("Set your weekly hours"),
            profile.next_available_at is not None,
            reverse("expert_availability"),
            _("Learners need at least one free time to book you. After saving, it can take a minute to show here."),
        ),
        LaunchItem(_("Check your sessions and prices"), has_prices, reverse("expert_offerings")),
        LaunchItem(_("Preview your page"), None, reverse("expert_page_preview")),
        LaunchItem(
            _("Connect payouts"),
            None,
            note=_("Coming soon. You can publish your page without it."),
        ),
    ]
    publishable = expert_page_self_publishable(page=page, user=user)
    ready = all(item.done is not False for item in items)
    return LaunchChecklist(items=items, can_publish=ready and publishable, waiting_for_moderator=not publishable)
