"""The kernel's entries in the Wagtail admin: the log action of a reached velocity limit."""

from django.utils.translation import gettext_lazy as _
from waffle.models import Flag
from wagtail import hooks
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.log_actions import LogFormatter

from .admin_panels import CountPanel, PanelCount
from .flags_admin import FlagViewSet
from .limits import LIMIT_REACHED
from .models import OutboxMessage
from .settings_audit import (
    LOG_FLAG_CHANGE,
    LOG_SETTINGS_CHANGE,
    FlagChangeFormatter,
    LoggedFlagEditAction,
    LoggedSettingEditAction,
    SettingsChangeFormatter,
)

# Shown in Reports → Site history next to the user who reached it.
LIMIT_LABELS = {
    "holds_per_hour": _("holds per hour"),
    "unpaid_holds_per_expert": _("unpaid holds of one expert per day"),
    "declined_payments": _("declined payments per day"),
}


class LimitReachedFormatter(LogFormatter):
    label = _("Limit reached")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        limit = data.get("limit", "")
        return _("Reached the limit of %(limit)s (%(count)s within %(hours)s h)") % {
            "limit": LIMIT_LABELS.get(limit, limit),
            "count": data.get("count", "?"),
            "hours": data.get("window_hours", "?"),
        }


@hooks.register("register_log_actions")
def register_limit_actions(actions):
    actions.register_action(LIMIT_REACHED)(LimitReachedFormatter)
    actions.register_action(LOG_SETTINGS_CHANGE)(SettingsChangeFormatter)
    actions.register_action(LOG_FLAG_CHANGE)(FlagChangeFormatter)


@hooks.register("register_actions")
def register_logged_settings_edits(registry):
    for model in (BaseGenericSetting, BaseSiteSetting):
        registry.register(model, LoggedSettingEditAction)
    registry.register(Flag, LoggedFlagEditAction)


@hooks.register("register_admin_viewset")
def register_flag_viewset():
    return FlagViewSet("feature_flags")


FAILED_JOBS_PERMISSION = "core.view_outboxmessage"


@hooks.register("construct_homepage_panels")
def add_failed_jobs_panel(request, panels):
    """Background work that gave up (outbox messages marked failed), one count query, for administrators."""
    if not request.user.has_perm(FAILED_JOBS_PERMISSION):
        return
    panels.append(
        CountPanel(
            name="jobs",
            heading=_("Background jobs"),
            counts=[PanelCount("failed", _("jobs that gave up (outbox)"))],
            read=lambda: {"failed": OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).count()},
            order=54,
        )
    )
