"""Calendars in error in the Wagtail admin (Reports → Calendars in error), loaded by ``wagtail_hooks``.

Staff see which expert's calendar fails (an imported address or a connected
Google/Outlook account), how often in a row, since when it last worked and the
plain-words error the expert sees; never the address or a token (secrets).
"""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView

from .selectors.calendars import calendars_in_error_rows


class CalendarsInErrorReport(ReportView):
    page_title = _("Calendars in error")
    header_icon = "warning"
    index_url_name = "calendars_in_error_report"
    index_results_url_name = "calendars_in_error_report_results"
    columns = [
        Column("expert_name", label=_("Expert")),
        Column("expert_email", label=_("Email")),
        Column("kind", label=_("Kind")),
        Column("calendar", label=_("Calendar")),
        Column("failures_in_a_row", label=_("Failures in a row")),
        Column("last_error", label=_("Last error")),
        DateColumn("last_success_at", label=_("Last successful sync")),
    ]
    list_export = []

    def get_queryset(self):
        return calendars_in_error_rows()


@hooks.register("register_admin_urls")
def register_calendars_in_error_urls():
    view = CalendarsInErrorReport.as_view()
    results = CalendarsInErrorReport.as_view(results_only=True)
    return [
        path("reports/calendars-in-error/", view, name="calendars_in_error_report"),
        path("reports/calendars-in-error/results/", results, name="calendars_in_error_report_results"),
    ]


@hooks.register("register_reports_menu_item")
def register_calendars_in_error_menu_item():
    return MenuItem(_("Calendars in error"), reverse("calendars_in_error_report"), icon_name="warning", order=910)
