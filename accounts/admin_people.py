"""The operations console's people in the Wagtail admin (``/admin/ops/people/``): search and filters,
a person's page with what other apps register (bookings, payments, reviews, applications), their
security events from the audit log, and staff's actions (suspend, reactivate, reset the second factor,
resend the verification email), each with a reason and logged by its service.

Seeing needs ``accounts.view_user``, acting ``accounts.change_user``. Staff never see passwords,
second-factor secrets or card numbers: the page shows only whether a second factor exists.
"""

from __future__ import annotations

from collections.abc import Callable

import django_filters
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from babel import Locale, UnknownLocaleError
from django import forms
from django.contrib import messages
from django.contrib.auth.models import Group
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.admin.auth import permission_denied, permission_required
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

from core.errors import ApplicationError
from core.parsing import parse_int
from core.spreadsheets import GuardedSpreadsheetExportMixin
from core.timezones import country_codes, country_zones, zone_country

from .devices import device_from_user_agent
from .models import User
from .person_registry import person_sections, suspension_rules
from .roles import ROLES_PERMISSION, user_roles_change
from .security_events import SIGN_IN_ACTIONS
from .services import (
    KEEP_SESSIONS,
    MANAGE_PEOPLE_PERMISSION,
    STAFF_REASON_MAX,
    user_reactivate,
    user_second_factor_reset,
    user_suspend,
    user_verification_resend,
)

VIEW_PEOPLE_PERMISSION = "accounts.view_user"
MAX_ID = 2**63 - 1
EVENTS_SHOWN = 50
SIGN_INS_SHOWN = 20


def country_name(code: str | None) -> str:
    """The country's name in the admin's language (Babel's CLDR names), or the code itself."""
    if not code:
        return ""
    try:
        locale = Locale.parse((get_language() or "en").replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        locale = Locale("en")
    return locale.territories.get(code, code)


def country_choices() -> list[tuple[str, str]]:
    return sorted(((code, country_name(code)) for code in country_codes()), key=lambda choice: choice[1])


ROLE_CHOICES = [
    ("learner", gettext_lazy("Learner only")),
    ("expert", gettext_lazy("Expert")),
    ("staff", gettext_lazy("Staff")),
]
STATUS_CHOICES = [("active", gettext_lazy("Active")), ("suspended", gettext_lazy("Suspended"))]


class PeopleFilterSet(WagtailFilterSet):
    role = django_filters.ChoiceFilter(choices=ROLE_CHOICES, method="filter_role", label=gettext_lazy("Role"))
    status = django_filters.ChoiceFilter(choices=STATUS_CHOICES, method="filter_status", label=gettext_lazy("Status"))
    date_joined = django_filters.DateFromToRangeFilter(label=gettext_lazy("Joined"), widget=DateRangePickerWidget)
    # People do not type a country: it is the country of the time zone they chose (core.timezones).
    country = django_filters.ChoiceFilter(
        choices=country_choices, method="filter_country", label=gettext_lazy("Country")
    )

    class Meta:
        model = User
        fields: list[str] = []

    def filter_country(self, queryset, name, value):
        zones = country_zones(value)
        return queryset.filter(time_zone__in=zones) if zones else queryset

    def filter_role(self, queryset, name, value):
        return {
            "learner": queryset.filter(is_expert=False, is_staff=False),
            "expert": queryset.filter(is_expert=True),
            "staff": queryset.filter(Q(is_staff=True) | Q(is_superuser=True)),
        }.get(value, queryset)

    def filter_status(self, queryset, name, value):
        return queryset.filter(is_active=value == "active") if value in ("active", "suspended") else queryset


class PeopleIndexView(GuardedSpreadsheetExportMixin, ReportView):
    page_title = gettext_lazy("People")
    header_icon = "user"
    index_url_name = "ops_people"
    index_results_url_name = "ops_people_results"
    filterset_class = PeopleFilterSet
    is_searchable = True
    search_fields = ["full_name", "email"]
    columns = [
        TitleColumn(
            "full_name", label=gettext_lazy("Name"), get_url=lambda user: reverse("ops_person", args=[user.pk])
        ),
        Column("email", label=gettext_lazy("Email")),
        Column(
            "country", label=gettext_lazy("Country"), accessor=lambda user: country_name(zone_country(user.time_zone))
        ),
        BooleanColumn("is_expert", label=gettext_lazy("Expert")),
        BooleanColumn("is_active", label=gettext_lazy("Active")),
        DateColumn("date_joined", label=gettext_lazy("Joined")),
    ]
    # Downloads (CSV, XLSX through core.spreadsheets): who they are and their state, never secrets.
    list_export = ["pk", "full_name", "email", "is_expert", "is_active", "date_joined"]
    export_headings = {
        "pk": gettext_lazy("Id"),
        "full_name": gettext_lazy("Name"),
        "email": gettext_lazy("Email"),
        "is_expert": gettext_lazy("Expert"),
        "is_active": gettext_lazy("Active"),
        "date_joined": gettext_lazy("Joined (UTC)"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_PEOPLE_PERMISSION):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        fields = ["pk", "full_name", "email", "time_zone", "is_expert", "is_active", "date_joined"]
        return self.search_queryset(User.objects.only(*fields).order_by("-date_joined", "-pk"))


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (kept in the audit log)"),
        max_length=STAFF_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Please give the reason; it is kept in the audit log.")},
    )


class SuspendForm(ReasonForm):
    upcoming = forms.ChoiceField(label=gettext_lazy("Their upcoming sessions"), widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(KEEP_SESSIONS, _("Keep them"))]
        choices += [(key, rule.label) for key, rule in suspension_rules().items()]
        self.fields["upcoming"].choices = choices
        self.fields["upcoming"].initial = KEEP_SESSIONS


class RolesForm(ReasonForm):
    groups = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Staff groups"),
        queryset=Group.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("In at least one group means staff; none means not staff."),
    )
    expert = forms.BooleanField(
        label=gettext_lazy("Expert"),
        required=False,
        help_text=gettext_lazy("Can be taken away here; it is given by approving an application."),
    )


def person_or_404(pk) -> User:
    if parse_int(str(pk), minimum=1, maximum=MAX_ID) is None:
        raise Http404
    person = User.objects.filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def _events(person: User) -> list[tuple]:
    rows = []
    entries = ModelLogEntry.objects.for_instance(person).exclude(action__in=SIGN_IN_ACTIONS)
    for entry in entries.select_related("user").order_by("-timestamp", "-pk")[:EVENTS_SHOWN]:
        try:
            label = log_registry.get_action_label(entry.action)
        except KeyError:
            label = entry.action
        actor = (entry.user.full_name or entry.user.email) if entry.user else ""
        rows.append((entry.timestamp, label, (entry.data or {}).get("reason", ""), actor))
    return rows


def _sign_ins(person: User) -> list[tuple]:
    """Recent sign-ins and failed attempts (from the audit log): time, succeeded, device, place."""
    entries = ModelLogEntry.objects.for_instance(person).filter(action__in=SIGN_IN_ACTIONS)
    return [
        (entry.timestamp, entry.action == SIGN_IN_ACTIONS[0], data.get("device", ""), data.get("place", ""))
        for entry in entries.order_by("-timestamp", "-pk")[:SIGN_INS_SHOWN]
        for data in [entry.data or {}]
    ]


def _open_sessions(person: User) -> list[tuple]:
    """The person's signed-in sessions (allauth's user sessions): device and last seen, no address."""
    sessions = UserSession.objects.filter(user=person).only("user_agent", "created_at", "last_seen_at")
    return [
        (device_from_user_agent(session.user_agent).label, session.created_at, session.last_seen_at)
        for session in sessions.order_by("-last_seen_at")[:SIGN_INS_SHOWN]
    ]


def _roles_initial(person: User) -> dict:
    return {"groups": list(person.groups.all()), "expert": person.is_expert}


def _page(request: HttpRequest, person: User, *, forms_: dict | None = None, status: int = 200):
    forms_ = forms_ or {}
    can_change_roles = (
        request.user.has_perm(ROLES_PERMISSION) and person.pk != request.user.pk and not person.is_superuser
    )
    sections = [
        (section, section.read(person)) for section in person_sections() if request.user.has_perm(section.permission)
    ]
    return TemplateResponse(
        request,
        "accounts/admin/ops_person.html",
        {
            "person": person,
            "has_second_factor": Authenticator.objects.filter(user=person).exists(),
            "sections": sections,
            "events": _events(person),
            "sign_ins": _sign_ins(person),
            "open_sessions": _open_sessions(person),
            "country": country_name(zone_country(person.time_zone)),
            "can_change_roles": can_change_roles,
            "roles_form": (forms_.get("roles") or RolesForm(prefix="roles", initial=_roles_initial(person)))
            if can_change_roles
            else None,
            "zone": request.user.time_zone or "UTC",
            "can_manage": request.user.has_perm(MANAGE_PEOPLE_PERMISSION) and person.pk != request.user.pk,
            "suspend_form": forms_.get("suspend") or SuspendForm(prefix="suspend"),
            "reactivate_form": forms_.get("reactivate") or ReasonForm(prefix="reactivate"),
            "mfa_form": forms_.get("mfa") or ReasonForm(prefix="mfa"),
        },
        status=status,
    )


@permission_required(VIEW_PEOPLE_PERMISSION)
@require_http_methods(["GET"])
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, person_or_404(pk))


def _action(key: str, form_class, run: Callable, done: str, permission: str = MANAGE_PEOPLE_PERMISSION) -> Callable:
    @permission_required(permission)
    @require_http_methods(["POST"])
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        person = person_or_404(pk)
        form = form_class(request.POST, prefix=key)
        if not form.is_valid():
            messages.error(request, _("Nothing was changed: please correct the form."))
            return _page(request, person, forms_={key: form}, status=400)
        try:
            run(request, person, form.cleaned_data)
        except ApplicationError as refused:
            messages.error(request, refused.message)
            return _page(request, person, forms_={key: form}, status=400)
        messages.success(request, done)
        return redirect("ops_person", pk=person.pk)

    return view


person_suspend = _action(
    "suspend",
    SuspendForm,
    lambda request, person, data: user_suspend(
        user=person, by=request.user, reason=data["reason"], upcoming=data["upcoming"]
    ),
    gettext_lazy("Suspended: they can no longer sign in or be booked."),
)
person_reactivate = _action(
    "reactivate",
    ReasonForm,
    lambda request, person, data: user_reactivate(user=person, by=request.user, reason=data["reason"]),
    gettext_lazy("Reactivated."),
)
person_mfa_reset = _action(
    "mfa",
    ReasonForm,
    lambda request, person, data: user_second_factor_reset(user=person, by=request.user, reason=data["reason"]),
    gettext_lazy("Second factor removed: they set up a new one at their next sign-in."),
)


person_roles_change = _action(
    "roles",
    RolesForm,
    lambda request, person, data: user_roles_change(
        user=person, by=request.user, reason=data["reason"], groups=list(data["groups"]), expert=data["expert"]
    ),
    gettext_lazy("Roles saved."),
    permission=ROLES_PERMISSION,
)


@permission_required(MANAGE_PEOPLE_PERMISSION)
@require_http_methods(["POST"])
def person_verification_resend(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_or_404(pk)
    try:
        sent = user_verification_resend(user=person, by=request.user, request=request)
    except ApplicationError as refused:
        messages.error(request, refused.message)
        return redirect("ops_person", pk=person.pk)
    if sent:
        messages.success(request, _("The verification email was sent again."))
    else:
        messages.info(request, _("Their email address is already verified; nothing was sent."))
    return redirect("ops_person", pk=person.pk)
