"""Review moderation in the Wagtail admin: the queue (its own menu item) and the audit log's labels."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter

from accounts.person_registry import PersonSection, person_section_register
from core.admin_panels import CountPanel, PanelCount

from .admin_views import moderation_decide, moderation_queue_view
from .models import SessionReview
from .services.moderation import LOG_ACTIONS, MODERATE_PERMISSION


@hooks.register("register_admin_urls")
def register_moderation_urls():
    return [
        path("review-moderation/", moderation_queue_view, name="reviews_moderation_queue"),
        path("review-moderation/<int:pk>/", moderation_decide, name="reviews_moderation_decide"),
    ]


class ModerationMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(MODERATE_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_moderation_menu_item():
    return ModerationMenuItem(
        _("Review moderation"),
        reverse("reviews_moderation_queue"),
        name="review-moderation",
        icon_name="warning",
        order=220,
    )


LOG_LABELS = {
    "hide": _("Hide session review"),
    "restore": _("Restore session review"),
    "dismiss": _("Dismiss reports on session review"),
    "reply": _("Reply to session review as staff"),
}


@hooks.register("register_log_actions")
def register_moderation_log_actions(actions):
    for key, label in LOG_LABELS.items():
        actions.register_action(LOG_ACTIONS[key])(
            type("ReviewModerationLogFormatter", (LogFormatter,), {"label": label})
        )


@hooks.register("construct_homepage_panels")
def add_moderation_panel(request, panels):
    """The admin home's count of flagged or reported reviews waiting (one count query), for moderators."""
    if not request.user.has_perm(MODERATE_PERMISSION):
        return
    panels.append(
        CountPanel(
            name="reviews",
            heading=_("Session reviews"),
            counts=[
                PanelCount("waiting", _("flagged or reported reviews to moderate"), reverse("reviews_moderation_queue"))
            ],
            read=lambda: {"waiting": SessionReview.objects.filter(needs_moderation=True).count()},
            order=53,
        )
    )


def _person_reviews(person) -> list[tuple[str, str]]:
    """Reviews they wrote, latest first (one query)."""
    rows = SessionReview.objects.filter(learner=person).order_by("-created_at")[:20]
    return [(f"{review.created_at:%Y-%m-%d} · {review.rating}/5", "") for review in rows]


person_section_register(PersonSection("reviews", _("Reviews written"), MODERATE_PERMISSION, _person_reviews, order=30))
