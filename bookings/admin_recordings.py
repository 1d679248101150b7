"""Session recordings in the Wagtail admin (Reports → Session recordings), loaded by ``wagtail_hooks``.

Staff see that a recording exists (session, participants, size, date), never its content, unless
the session is disputed (the bank disputes its payment, ``Booking.disputed_at``, or a participant's
report on it waits for a staff decision): then a user with the permission
``bookings.play_disputed_recording`` gets a "Play" link, and every opening is a Wagtail log entry
(``bookings.recording_played``, listed under Reports → Site history).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.log_actions import LogFormatter

from core.errors import ApplicationError

from .models import Recording
from .recording_files import recording_file_response
from .selectors.recordings import booking_in_dispute, recordings_for_staff
from .services.recordings import LOG_STAFF_PLAYED, recording_staff_play

PERMISSION = "bookings.play_disputed_recording"


class RecordingsReport(ReportView):
    page_title = _("Session recordings")
    header_icon = "media"
    index_url_name = "recordings_report"
    index_results_url_name = "recordings_report_results"
    list_export = []

    @cached_property
    def columns(self):
        columns = [
            Column("booking.reference", label=_("Session")),
            Column("booking.learner.full_name", label=_("Learner")),
            Column("booking.expert.full_name", label=_("Expert")),
            Column("size", accessor=lambda recording: filesizeformat(recording.size), label=_("Size")),
            DateColumn("created_at", label=_("Added")),
            DateColumn("booking.disputed_at", label=_("Disputed")),
        ]
        if self.request.user.has_perm(PERMISSION):
            columns.append(
                TitleColumn(
                    "content",
                    accessor=lambda recording: _("Play") if recording.in_dispute else "—",
                    label=_("Content"),
                    get_url=lambda recording: (
                        reverse("recording_staff_file", args=[recording.pk]) if recording.in_dispute else None
                    ),
                )
            )
        return columns

    def get_queryset(self):
        return recordings_for_staff()


def recording_staff_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The content, for staff with the permission, while the session is disputed; each opening is logged."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    recording = Recording.objects.select_related("booking").filter(pk=pk).first()
    if recording is None:
        raise Http404
    try:
        # A range request (seeking in the player) is part of the same viewing: logged once, at the start.
        if not request.headers.get("Range", "").startswith("bytes=") or request.headers["Range"] == "bytes=0-":
            recording_staff_play(recording=recording, user=request.user)
        elif not booking_in_dispute(recording.booking):
            raise PermissionDenied
    except ApplicationError as refused:
        messages.error(request, refused.message)
        return redirect("recordings_report")
    return recording_file_response(request, recording, download=False)


@hooks.register("register_admin_urls")
def register_recordings_urls():
    return [
        path("reports/recordings/", RecordingsReport.as_view(), name="recordings_report"),
        path(
            "reports/recordings/results/",
            RecordingsReport.as_view(results_only=True),
            name="recordings_report_results",
        ),
        path("reports/recordings/<int:pk>/file/", recording_staff_file, name="recording_staff_file"),
    ]


@hooks.register("register_reports_menu_item")
def register_recordings_menu_item():
    return MenuItem(_("Session recordings"), reverse("recordings_report"), icon_name="media", order=910)


@hooks.register("register_permissions")
def register_recording_permissions():
    """Listed in Wagtail's group editor, so an admin grants "play disputed recordings" to a group."""
    return Permission.objects.filter(content_type__app_label="bookings", codename="play_disputed_recording")


@hooks.register("register_log_actions")
def register_recording_log_actions(actions):
    actions.register_action(LOG_STAFF_PLAYED)(
        type("RecordingPlayedFormatter", (LogFormatter,), {"label": _("Play a disputed session's recording")})
    )
