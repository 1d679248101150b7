"""The operations console's sessions in the Wagtail admin (``/admin/ops/sessions/``).

Every booking, filtered and searched, and one session's page with its timeline and the actions
staff take: move and mark a no-show here, cancel with refund registered by billing
(``bookings.session_actions``). Seeing needs ``bookings.view_booking``, acting
``bookings.change_booking`` (the support and administrators groups, ``manage.py ops_groups``);
Wagtail's admin wrapper already sent everyone without admin access to the login page. Each action
is a POST with a reason that calls one service; the service logs it in its transaction.
"""

from __future__ import annotations

from collections.abc import Callable

import django_filters
from django.contrib import messages
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail.admin.auth import permission_denied, permission_required
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView

from core.errors import ApplicationError
from core.parsing import parse_int
from core.spreadsheets import GuardedSpreadsheetExportMixin
from marketplace.models import Category, ExpertPage

from ..models import Booking
from ..selectors.staff_sessions import session_for_staff, session_timeline, sessions_for_staff
from ..services.staff_actions import MANAGE_PERMISSION, VIEW_PERMISSION, booking_move_by_staff, booking_no_show_mark
from ..session_actions import session_actions_available
from ..staff_session_forms import StaffMoveForm, StaffNoShowForm, StaffReasonForm

MAX_ID = 2**63 - 1
SEARCH_MAX_LENGTH = 200


def booking_or_404(pk) -> Booking:
    if parse_int(str(pk), minimum=1, maximum=MAX_ID) is None:
        raise Http404
    booking = session_for_staff(pk=int(pk))
    if booking is None:
        raise Http404
    return booking


def _person_filter(side: str) -> Callable:
    def method(self, queryset, name, value):
        value = (value or "").strip()[:SEARCH_MAX_LENGTH]
        if not value:
            return queryset
        return queryset.filter(
            Q(**{f"{side}__full_name__icontains": value}) | Q(**{f"{side}__email__icontains": value})
        )

    return method


class SessionFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=Booking.Status.choices, label=gettext_lazy("Status"))
    expert = django_filters.CharFilter(method="filter_expert", label=gettext_lazy("Expert (name or email)"))
    learner = django_filters.CharFilter(method="filter_learner", label=gettext_lazy("Learner (name or email)"))
    start = django_filters.DateFromToRangeFilter(label=gettext_lazy("Date"), widget=DateRangePickerWidget)
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.order_by("name"), method="filter_category", label=gettext_lazy("Category")
    )
    reported = django_filters.BooleanFilter(field_name="reported", label=gettext_lazy("Problem reported"))

    filter_expert = _person_filter("expert")
    filter_learner = _person_filter("learner")

    class Meta:
        model = Booking
        fields: list[str] = []

    def filter_category(self, queryset, name, value):
        if value is None:
            return queryset
        pages = ExpertPage.objects.filter(profile__user_id=OuterRef("expert_id"), categories=value)
        return queryset.filter(Exists(pages))


def _detail_url(booking: Booking) -> str:
    return reverse("ops_session_detail", args=[booking.pk])


class SessionsIndexView(GuardedSpreadsheetExportMixin, ReportView):
    """Every booking: filters on the side, search over both participants' names and emails, 50 a page;
    two queries (the page and the count) however many match."""

    page_title = gettext_lazy("Sessions")
    header_icon = "date"
    index_url_name = "ops_sessions"
    index_results_url_name = "ops_sessions_results"
    filterset_class = SessionFilterSet
    is_searchable = True
    search_fields = ["learner__full_name", "learner__email", "expert__full_name", "expert__email"]
    columns = [
        TitleColumn("pk", label=gettext_lazy("Session"), get_url=_detail_url),
        DateColumn("start", label=gettext_lazy("Starts")),
        Column("learner", label=gettext_lazy("Learner"), accessor="learner.full_name"),
        Column("expert", label=gettext_lazy("Expert"), accessor="expert.full_name"),
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
        Column("price", label=gettext_lazy("Price"), accessor=lambda booking: booking.price.format()),
        BooleanColumn("reported", label=gettext_lazy("Problem reported")),
    ]
    list_export = ["pk", "start", "learner.email", "expert.email", "status", "amount_minor", "currency", "reported"]
    export_headings = {
        "pk": gettext_lazy("Session"),
        "start": gettext_lazy("Starts (UTC)"),
        "learner.email": gettext_lazy("Learner"),
        "expert.email": gettext_lazy("Expert"),
        "status": gettext_lazy("Status"),
        "amount_minor": gettext_lazy("Price (minor units)"),
        "currency": gettext_lazy("Currency"),
        "reported": gettext_lazy("Problem reported"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_PERMISSION):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return self.search_queryset(sessions_for_staff())


def _detail_response(request: HttpRequest, booking: Booking, *, forms: dict | None = None, status: int = 200):
    now = timezone.now()
    forms = forms or {}
    can_manage = request.user.has_perm(MANAGE_PERMISSION)
    expert_zone = getattr(getattr(booking.expert, "expert_profile", None), "time_zone", "") or "UTC"
    registered = [
        (
            action,
            reverse(action.url_name, args=[booking.pk]),
            forms.get(action.key) or StaffReasonForm(prefix=action.key),
        )
        for action in session_actions_available(booking=booking, now=now)
    ]
    return TemplateResponse(
        request,
        "bookings/admin/ops_session_detail.html",
        {
            "booking": booking,
            "timeline": session_timeline(booking=booking),
            "zone": request.user.time_zone or "UTC",
            "expert_zone": expert_zone,
            "can_manage": can_manage,
            "registered_actions": registered if can_manage else [],
            "can_move": can_manage and booking.status == Booking.Status.CONFIRMED and booking.start > now,
            "can_no_show": can_manage
            and booking.status in (Booking.Status.CONFIRMED, Booking.Status.COMPLETED)
            and booking.end <= now
            and not hasattr(booking, "session_decision"),
            "move_form": forms.get("move") or StaffMoveForm(prefix="move", zone=expert_zone),
            "no_show_form": forms.get("no_show") or StaffNoShowForm(prefix="no_show"),
        },
        status=status,
    )


@permission_required(VIEW_PERMISSION)
@require_http_methods(["GET"])
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_response(request, booking_or_404(pk))


@permission_required(MANAGE_PERMISSION)
@require_http_methods(["POST"])
def session_move(request: HttpRequest, pk: int) -> HttpResponse:
    booking = booking_or_404(pk)
    zone = getattr(getattr(booking.expert, "expert_profile", None), "time_zone", "") or "UTC"
    form = StaffMoveForm(request.POST, prefix="move", zone=zone)
    if not form.is_valid():
        messages.error(request, _("The session was not moved: please correct the form."))
        return _detail_response(request, booking, forms={"move": form}, status=400)
    try:
        booking_move_by_staff(
            booking=booking, by=request.user, start=form.cleaned_data["start"], reason=form.cleaned_data["reason"]
        )
    except ApplicationError as refused:
        messages.error(request, refused.message)
        return _detail_response(request, booking, forms={"move": form}, status=400)
    messages.success(request, _("Moved. Both participants get the updated invitation by email."))
    return redirect("ops_session_detail", pk=booking.pk)


@permission_required(MANAGE_PERMISSION)
@require_http_methods(["POST"])
def session_no_show(request: HttpRequest, pk: int) -> HttpResponse:
    booking = booking_or_404(pk)
    form = StaffNoShowForm(request.POST, prefix="no_show")
    if not form.is_valid():
        messages.error(request, _("Nothing was recorded: please correct the form."))
        return _detail_response(request, booking, forms={"no_show": form}, status=400)
    try:
        booking_no_show_mark(
            booking=booking, by=request.user, absent=form.cleaned_data["absent"], reason=form.cleaned_data["reason"]
        )
    except ApplicationError as refused:
        messages.error(request, refused.message)
        return _detail_response(request, booking, forms={"no_show": form}, status=400)
    messages.success(request, _("Recorded. Any refund follows at once, and both participants are told by email."))
    return redirect("ops_session_detail", pk=booking.pk)


def registered_action_view(*, key: str, service: Callable, done_message: str) -> Callable:
    """The POST view of an action another app registers: permission, the reason, one service call."""

    @permission_required(MANAGE_PERMISSION)
    @require_http_methods(["POST"])
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        booking = booking_or_404(pk)
        form = StaffReasonForm(request.POST, prefix=key)
        if not form.is_valid():
            messages.error(request, _("Nothing was changed: please give the reason."))
            return _detail_response(request, booking, forms={key: form}, status=400)
        try:
            service(booking=booking, by=request.user, reason=form.cleaned_data["reason"])
        except ApplicationError as refused:
            messages.error(request, refused.message)
            return _detail_response(request, booking, forms={key: form}, status=400)
        messages.success(request, done_message)
        return redirect("ops_session_detail", pk=booking.pk)

    return view
