"""The expert area at /expert/: profile edits (moderated) and offerings (immediate).

Every object is looked up through the signed-in expert's own profile, so another
expert's ids answer 404 rather than 403: the URL space reveals nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..errors import MarketplaceError
from ..forms import (
    DayOffForm,
    ExpertPageForm,
    PackageForm,
    SchedulingPolicyForm,
    SessionTypeForm,
    WeeklyHoursFormSet,
)
from ..models import DateOverride, ExpertProfile, Package, SessionType, WeeklyHours
from ..selectors import expert_upcoming_sessions
from ..services import (
    day_off_add,
    day_off_remove,
    expert_page_submit_changes,
    package_create,
    package_delete,
    package_update,
    scheduling_policy_update,
    session_type_create,
    session_type_delete,
    session_type_update,
    weekly_hours_replace,
)
from ..services.profiles import expert_source_page


def expert_required(view: Callable) -> Callable:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_expert:
            raise PermissionDenied(_("The expert area is for approved experts. You can apply to join as an expert."))
        return view(request, *args, **kwargs)

    return wrapper


def _own_profile(request: HttpRequest) -> ExpertProfile:
    profile = ExpertProfile.objects.filter(user=request.user).first()
    if profile is None:
        raise Http404(_("Your expert profile is still being set up."))
    return profile


@expert_required
def expert_dashboard(request: HttpRequest) -> HttpResponse:
    profile = ExpertProfile.objects.filter(user=request.user).first()
    page = review = None
    if profile is not None:
        page = profile.pages.order_by("pk").first()
        review = page.current_workflow_state if page else None
    now = timezone.now()
    sessions = expert_upcoming_sessions(expert=request.user, now=now, page=request.GET.get("page"))
    return render(
        request,
        "marketplace/expert_dashboard.html",
        {
            "profile": profile,
            "expert_page": page,
            "pending_review": bool(review and review.status == review.STATUS_IN_PROGRESS),
            "changes_requested": bool(review and review.status == review.STATUS_NEEDS_CHANGES),
            "sessions": sessions,
            "joinable_ids": {booking.pk for booking in sessions.object_list if booking.is_joinable(now)},
            "expert_zone": profile.time_zone if profile else (request.user.time_zone or "UTC"),
        },
    )


@expert_required
def expert_profile_edit(request: HttpRequest) -> HttpResponse:
    profile = _own_profile(request)
    page = expert_source_page(profile=profile)
    draft = page.get_latest_revision_as_object()
    if request.method == "POST":
        form = ExpertPageForm(request.POST, request.FILES)
        if form.is_valid():
            changes = {name: value for name, value in form.cleaned_data.items() if name != "photo"}
            try:
                expert_page_submit_changes(
                    profile=profile, user=request.user, changes=changes, photo_upload=form.cleaned_data.get("photo")
                )
            except MarketplaceError as error:
                form.add_error("photo" if form.cleaned_data.get("photo") else None, error.message)
            else:
                messages.success(
                    request, _("Thanks! Your changes were sent for review and go live once a moderator approves them.")
                )
                return redirect("expert_dashboard")
    else:
        form = ExpertPageForm(
            initial={
                "title": draft.title,
                "headline": draft.headline,
                "bio": draft.bio,
                "categories": list(draft.categories.all()),
                "skills": ", ".join(tag.name for tag in draft.skills.all()),
                "languages": list(draft.languages.all()),
                "years_experience": draft.years_experience,
                "credentials": draft.credentials,
                "website_url": draft.website_url,
                "linkedin_url": draft.linkedin_url,
                "github_url": draft.github_url,
                "intro_video_url": draft.intro_video_url,
            }
        )
    return render(
        request,
        "marketplace/expert_profile_edit.html",
        {"form": form, "expert_page": page, "draft": draft, "pending_review": page.workflow_in_progress},
    )


@expert_required
def expert_offerings(request: HttpRequest) -> HttpResponse:
    profile = _own_profile(request)
    session_form = SessionTypeForm(currency=profile.currency, prefix="session")
    package_form = PackageForm(profile=profile, prefix="package")
    if request.method == "POST":
        kind = request.POST.get("kind")
        try:
            if kind == "session":
                session_form = SessionTypeForm(request.POST, currency=profile.currency, prefix="session")
                if session_form.is_valid():
                    session_type_create(
                        profile=profile,
                        duration_minutes=session_form.cleaned_data["duration_minutes"],
                        price=session_form.price_money(),
                    )
                    messages.success(request, _("Session type added. Learners see it right away."))
                    return redirect("expert_offerings")
            elif kind == "package":
                package_form = PackageForm(request.POST, profile=profile, prefix="package")
                if package_form.is_valid():
                    package_create(
                        profile=profile,
                        session_type=package_form.cleaned_data["session_type"],
                        sessions_count=package_form.cleaned_data["sessions_count"],
                        price=package_form.price_money(),
                        validity_days=package_form.cleaned_data["validity_days"],
                    )
                    messages.success(request, _("Package added. Learners see it right away."))
                    return redirect("expert_offerings")
        except MarketplaceError as error:
            messages.error(request, error.message)
    return render(
        request,
        "marketplace/expert_offerings.html",
        {
            "profile": profile,
            "session_types": SessionType.objects.filter(profile=profile),
            "packages": Package.objects.filter(profile=profile).select_related("session_type"),
            "session_form": session_form,
            "package_form": package_form,
        },
    )


def _offering_edit(request: HttpRequest, *, offering, kind: str, form, save, saved_message: str) -> HttpResponse:
    """The edit screen shared by session types and packages: validate, save through the service, report."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except MarketplaceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, saved_message)
            return redirect("expert_offerings")
    return render(request, "marketplace/expert_offering_edit.html", {"form": form, "offering": offering, "kind": kind})


@expert_required
def expert_session_type_edit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _own_profile(request)
    session_type = get_object_or_404(SessionType, pk=pk, profile=profile)
    initial = {"price": session_type.price.decimal, "is_active": session_type.is_active}
    form = SessionTypeForm(request.POST or None, currency=profile.currency, editing=True, initial=initial)
    return _offering_edit(
        request,
        offering=session_type,
        kind="session",
        form=form,
        save=lambda data: session_type_update(
            session_type=session_type, price=form.price_money(), is_active=data["is_active"]
        ),
        saved_message=_("Session type saved."),
    )


@expert_required
@require_POST
def expert_session_type_delete(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _own_profile(request)
    session_type_delete(session_type=get_object_or_404(SessionType, pk=pk, profile=profile))
    messages.success(request, _("Session type removed, with its packages."))
    return redirect("expert_offerings")


@expert_required
def expert_package_edit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _own_profile(request)
    package = get_object_or_404(Package.objects.select_related("session_type"), pk=pk, profile=profile)
    initial = {
        "sessions_count": package.sessions_count,
        "price": package.price.decimal,
        "validity_days": package.validity_days,
        "is_active": package.is_active,
    }
    form = PackageForm(request.POST or None, profile=profile, editing=True, initial=initial)
    return _offering_edit(
        request,
        offering=package,
        kind="package",
        form=form,
        save=lambda data: package_update(
            package=package,
            sessions_count=data["sessions_count"],
            price=form.price_money(),
            validity_days=data["validity_days"],
            is_active=data["is_active"],
        ),
        saved_message=_("Package saved."),
    )


@expert_required
@require_POST
def expert_package_delete(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _own_profile(request)
    package_delete(package=get_object_or_404(Package, pk=pk, profile=profile))
    messages.success(request, _("Package removed."))
    return redirect("expert_offerings")


@expert_required
def expert_availability(request: HttpRequest) -> HttpResponse:
    """Weekly hours (a formset), the scheduling policy and days off: three small forms on one page."""
    profile = _own_profile(request)
    zone = ZoneInfo(profile.time_zone)
    today = timezone.now().astimezone(zone).date()
    current = WeeklyHours.objects.filter(profile=profile).order_by("weekday", "start")
    weekly_formset = WeeklyHoursFormSet(
        prefix="weekly", initial=[{"weekday": row.weekday, "start": row.start, "end": row.end} for row in current]
    )
    policy_form = SchedulingPolicyForm(
        prefix="policy",
        initial={
            "min_notice_hours": profile.min_notice_hours,
            "horizon_days": profile.horizon_days,
            "buffer_minutes": profile.buffer_minutes,
            "slot_step_minutes": profile.slot_step_minutes,
        },
    )
    day_off_form = DayOffForm(prefix="dayoff")
    if request.method == "POST":
        kind = request.POST.get("kind")
        try:
            if kind == "weekly":
                weekly_formset = WeeklyHoursFormSet(request.POST, prefix="weekly")
                if weekly_formset.is_valid():
                    weekly_hours_replace(profile=profile, windows=weekly_formset.windows())
                    messages.success(request, _("Weekly hours saved. Learners see the new times right away."))
                    return redirect("expert_availability")
            elif kind == "policy":
                policy_form = SchedulingPolicyForm(request.POST, prefix="policy")
                if policy_form.is_valid():
                    scheduling_policy_update(profile=profile, **policy_form.cleaned_data)
                    messages.success(request, _("Booking rules saved."))
                    return redirect("expert_availability")
            elif kind == "day_off":
                day_off_form = DayOffForm(request.POST, prefix="dayoff")
                if day_off_form.is_valid():
                    day = day_off_form.cleaned_data["day"]
                    day_off_add(profile=profile, day=day, today=today)
                    messages.success(request, _("%(day)s is now a day off.") % {"day": date_format(day)})
                    return redirect("expert_availability")
            elif kind == "day_off_remove":
                day_off_form = DayOffForm(request.POST, prefix="dayoff")
                if day_off_form.is_valid():
                    day = day_off_form.cleaned_data["day"]
                    if day_off_remove(profile=profile, day=day):
                        messages.success(
                            request, _("%(day)s follows your weekly hours again.") % {"day": date_format(day)}
                        )
                    return redirect("expert_availability")
            else:
                messages.error(request, _("Something was missing from the form. Please try again."))
        except MarketplaceError as error:
            messages.error(request, error.message)
    return render(
        request,
        "marketplace/expert_availability.html",
        {
            "profile": profile,
            "weekly_formset": weekly_formset,
            "policy_form": policy_form,
            "day_off_form": day_off_form,
            "days_off": DateOverride.objects.filter(profile=profile, start__isnull=True, date__gte=today),
        },
    )
