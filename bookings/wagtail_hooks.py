"""Bookings in the Wagtail admin: the expert cancellations report (Reports → Expert cancellations) and
the session reports staff decide (Session reports (N))."""

from django.db.models import Q
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView
from wagtail.log_actions import LogFormatter

from accounts.person_registry import PersonSection, person_section_register
from core.admin_panels import CountPanel, PanelCount

from .models import Booking
from .selectors.reports import RECENT_DAYS, expert_cancellation_counts
from .selectors.session_reports import session_reports_open_count
from .selectors.staff_sessions import calendars_in_error_counts, sessions_panel_counts
from .services.session_reports import DECIDE_PERMISSION, LOG_DECIDE
from .services.staff_actions import LOG_CANCEL as LOG_STAFF_CANCEL
from .services.staff_actions import LOG_MOVE as LOG_STAFF_MOVE
from .services.staff_actions import LOG_NO_SHOW as LOG_STAFF_NO_SHOW
from .services.staff_actions import VIEW_PERMISSION as STAFF_VIEW_PERMISSION
from .views import sessions_admin as views
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


# --- Operations console: every session, its timeline and staff's actions (/admin/ops/sessions/) -----


@hooks.register("register_admin_urls")
def register_ops_session_urls():
    return [
        path("ops/sessions/", views.SessionsIndexView.as_view(), name="ops_sessions"),
        path(
            "ops/sessions/results/",
            views.SessionsIndexView.as_view(results_only=True),
            name="ops_sessions_results",
        ),
        path("ops/sessions/<int:pk>/", views.session_detail, name="ops_session_detail"),
        path("ops/sessions/<int:pk>/move/", views.session_move, name="ops_session_move"),
        path("ops/sessions/<int:pk>/no-show/", views.session_no_show, name="ops_session_no_show"),
    ]


class PermissionMenuItem(MenuItem):
    """A menu item shown only to staff holding ``permission`` (least privilege: no menu without the right)."""

    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request) -> bool:
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def register_ops_sessions_menu_item():
    return PermissionMenuItem(
        _("Sessions"),
        reverse("ops_sessions"),
        name="ops-sessions",
        icon_name="date",
        order=210,
        permission=STAFF_VIEW_PERMISSION,
    )


@hooks.register("register_log_actions")
def register_ops_session_log_actions(actions):
    for action, label in (
        (LOG_STAFF_CANCEL, _("Cancel a session with a full refund")),
        (LOG_STAFF_MOVE, _("Move a session")),
        (LOG_STAFF_NO_SHOW, _("Mark a session as a no-show")),
    ):
        actions.register_action(action)(type("StaffSessionLogFormatter", (LogFormatter,), {"label": label}))


@hooks.register("construct_homepage_panels")
def add_ops_sessions_panel(request, panels):
    if not request.user.has_perm(STAFF_VIEW_PERMISSION):
        return
    sessions = reverse("ops_sessions")
    counts = [
        PanelCount("reports_waiting", _("reported sessions to decide"), f"{sessions}?reported=true"),
        PanelCount("disputed", _("sessions with a disputed payment"), sessions),
        PanelCount("today", _("sessions today (UTC)"), sessions),
        PanelCount("cancelled_today", _("cancellations today"), sessions),
    ]
    panels.append(
        CountPanel(
            name="sessions",
            heading=_("Sessions: needs a person, and today"),
            counts=counts,
            read=lambda: sessions_panel_counts(now=timezone.now()),
            order=50,
        )
    )
    panels.append(
        CountPanel(
            name="calendars",
            heading=_("Experts' calendars in error"),
            counts=[
                PanelCount("connected_broken", _("connected calendars to reconnect")),
                PanelCount("ics_failing", _("subscribed calendars failing"), reverse("calendars_in_error_report")),
            ],
            read=calendars_in_error_counts,
            order=51,
        )
    )


# --- The person page of the operations console: their sessions (accounts cannot import bookings) ---

PERSON_SESSIONS_SHOWN = 20


def _person_sessions(person) -> list[tuple[str, str]]:
    """Their latest sessions as learner or expert, one query."""

    rows = (
        Booking.objects.filter(Q(learner=person) | Q(expert=person))
        .select_related("learner", "expert")
        .order_by("-start")[:PERSON_SESSIONS_SHOWN]
    )
    return [
        (
            f"{booking.start:%Y-%m-%d %H:%M} UTC · {booking.learner.full_name} → {booking.expert.full_name} · "
            f"{booking.get_status_display()}",
            reverse("ops_session_detail", args=[booking.pk]),
        )
        for booking in rows
    ]


person_section_register(PersonSection("sessions", _("Sessions"), STAFF_VIEW_PERMISSION, _person_sessions, order=10))


from . import admin_calendars, admin_messages, admin_recordings  # noqa: E402,F401  (each registers its hooks)
