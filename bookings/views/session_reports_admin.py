"""Staff decide reported sessions in the Wagtail admin (``/admin/session-reports/``).

Only users with ``bookings.decide_sessionreport`` (the "Session reviewers" group, or superusers)
get past ``decider_required``; Wagtail's admin wrapper already sent everyone else without admin
access to the login page. The decision is one POST handled by ``session_decide``, which records it
once under the booking's lock (a second POST, or two staff at once, is told it is already decided);
the refund follows through billing's outbox. Times are shown in the staff member's own zone.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.admin.auth import permission_denied

from core.errors import ApplicationError
from core.parsing import parse_int

from ..no_show_rules import booking_report_state, report_window
from ..selectors.session_reports import session_report_case, session_report_cases
from ..services.session_reports import DECIDE_PERMISSION, session_decide
from ..session_report_forms import SessionDecisionForm

MAX_ID = 2**63 - 1


def decider_required(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.has_perm(DECIDE_PERMISSION):
            return permission_denied(request)
        return view(request, *args, **kwargs)

    return wrapper


@decider_required
@require_http_methods(["GET"])
def session_reports_list(request: HttpRequest) -> HttpResponse:
    page = session_report_cases(page_number=parse_int(request.GET.get("p"), minimum=1, maximum=10**6) or 1)
    now = timezone.now()
    rows = [
        (
            booking,
            booking_report_state(
                booking=booking,
                reports=booking.session_reports.all(),
                events=[],  # the list shows the claims; the log is on the case page
                decided=booking.decided_rank == 1,
                now=now,
            ),
        )
        for booking in page.object_list
    ]
    return TemplateResponse(
        request,
        "bookings/admin/session_reports.html",
        {"page_obj": page, "rows": rows, "zone": request.user.time_zone or "UTC"},
    )


@decider_required
@require_http_methods(["GET", "POST"])
def session_report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if parse_int(str(pk), minimum=1, maximum=MAX_ID) is None:
        raise Http404
    booking = session_report_case(pk=pk)
    if booking is None:
        raise Http404
    form = SessionDecisionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                session_decide(
                    booking=booking,
                    outcome=form.cleaned_data["outcome"],
                    refund_percent=form.cleaned_data.get("refund_percent"),
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ApplicationError as refused:
                messages.error(request, refused.message)
                return redirect("bookings_session_report_detail", pk=booking.pk)
            messages.success(request, _("Decided. Both participants are told by email; a refund follows at once."))
            return redirect("bookings_session_report_detail", pk=booking.pk)
        messages.error(request, _("The decision was not recorded: please correct the form."))
    now = timezone.now()
    decision = getattr(booking, "session_decision", None)
    state = booking_report_state(
        booking=booking,
        reports=booking.session_reports.all(),
        events=booking.log_rows,
        decided=decision is not None,
        now=now,
    )
    return TemplateResponse(
        request,
        "bookings/admin/session_report_detail.html",
        {
            "booking": booking,
            "reports": booking.session_reports.all(),
            "log": booking.log_rows,
            "decision": decision,
            "state": state,
            "window_closes": booking.end + report_window(),
            "form": form,
            "zone": request.user.time_zone or "UTC",
        },
        status=400 if request.method == "POST" else 200,
    )
