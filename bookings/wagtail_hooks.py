"""Bookings in the Wagtail admin: the expert cancellations report (Reports → Expert cancellations) and
the session reports staff decide (Session reports (N))."""

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView
from wagtail.log_actions import LogFormatter

from .selectors.reports import RECENT_DAYS, expert_cancellation_counts
from .selectors.session_reports import session_reports_open_count
from .services.session_reports import DECIDE_PERMISSION, LOG_DECIDE
from .views.session_reports_admin import session_report_detail, session_reports_list


class ExpertCancellationsReport(ReportView):
    """Every expert who cancelled a session, with how often (recently and in all), for staff to follow up.

    Each cancellation refunded the learner in full; the bookings themselves are the record, so the
    count cannot drift from what happened."""

    page_title = _("Expert cancellations")
    header_icon = "warning"
    index_url_name = "expert_cancellations_report"
    index_results_url_name = "expert_cancellations_report_results"
    columns = [
        Column("full_name", label=_("Expert")),
        Column("email", label=_("Email")),
        Column("cancelled_recent", label=_("Last %(days)s days") % {"days": RECENT_DAYS}),
        Column("cancelled_total", label=_("All time")),
        DateColumn("last_cancelled_at", label=_("Last cancellation")),
    ]
    list_export = ["full_name", "email", "cancelled_recent", "cancelled_total", "last_cancelled_at"]
    export_headings = {
        "full_name": _("Expert"),
        "email": _("Email"),
        "cancelled_recent": _("Last 90 days"),
        "cancelled_total": _("All time"),
        "last_cancelled_at": _("Last cancellation"),
    }

    def get_queryset(self):
        return expert_cancellation_counts(now=timezone.now())


@hooks.register("register_admin_urls")
def register_expert_cancellations_urls():
    view = ExpertCancellationsReport.as_view()
    results = ExpertCancellationsReport.as_view(results_only=True)
    return [
        path("reports/expert-cancellations/", view, name="expert_cancellations_report"),
        path("reports/expert-cancellations/results/", results, name="expert_cancellations_report_results"),
    ]


@hooks.register("register_reports_menu_item")
def register_expert_cancellations_menu_item():
    return MenuItem(_("Expert cancellations"), reverse("expert_cancellations_report"), icon_name="warning", order=900)


# --- Session reports: staff decide reported sessions (Session reports (N) in the menu) ------------


@hooks.register("register_admin_urls")
def register_session_report_urls():
    return [
        path("session-reports/", session_reports_list, name="bookings_session_reports"),
        path("session-reports/<int:pk>/", session_report_detail, name="bookings_session_report_detail"),
    ]


class SessionReportsMenuItem(MenuItem):
    """Shown to staff who may decide, labelled with how many reported sessions wait (one count query)."""

    def is_shown(self, request) -> bool:
        return request.user.has_perm(DECIDE_PERMISSION)

    def render_component(self, request):
        waiting = session_reports_open_count()
        label = _("Session reports (%(n)s)") % {"n": waiting} if waiting else _("Session reports")
        return LinkMenuItem(self.name, label, self.url, icon_name=self.icon_name, classname=self.classname)


@hooks.register("register_admin_menu_item")
def register_session_reports_menu_item():
    return SessionReportsMenuItem(
        _("Session reports"),
        reverse("bookings_session_reports"),
        name="session-reports",
        icon_name="warning",
        order=220,
    )


@hooks.register("register_log_actions")
def register_session_report_log_actions(actions):
    actions.register_action(LOG_DECIDE)(
        type("SessionDecisionLogFormatter", (LogFormatter,), {"label": _("Decide a reported session")})
    )


from . import admin_calendars, admin_messages, admin_recordings  # noqa: E402,F401  (each registers its hooks)
