"""A participant reports a problem with a past session (``/bookings/<id>/report/``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.errors import ApplicationError

from ..access import participant_booking
from ..selectors.session_reports import session_attendance, with_attendance
from ..services.session_reports import session_report_submit
from ..session_report_forms import SessionReportForm


@never_cache
def booking_report(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form (only the problems this participant may report). POST: report it, once."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    booking = participant_booking(request, pk)
    role = "learner" if request.user.pk == booking.learner_id else "expert"
    now = timezone.now()
    form = SessionReportForm(request.POST or None, role=role)
    if request.method == "POST" and form.is_valid():
        try:
            session_report_submit(
                booking=booking,
                by=request.user,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                now=now,
            )
        except ApplicationError as refused:
            messages.error(request, refused.message)
            return redirect("booking_detail", pk=booking.pk)
        messages.success(
            request,
            _(
                "Thank you: your report is recorded. The other side may give their view; you will hear the outcome by email."
            ),
        )
        return redirect("booking_detail", pk=booking.pk)
    loaded = with_attendance(type(booking).objects.filter(pk=booking.pk)).first()
    attendance = session_attendance(booking=loaded, viewer=request.user, now=now) if loaded else None
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "bookings/session_report.html",
        {
            "booking": booking,
            "form": form,
            "attendance": attendance,
            "other": booking.expert if role == "learner" else booking.learner,
            "viewer_zone": booking.zone_of(request.user),
        },
        status=status,
    )
