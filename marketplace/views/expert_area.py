"""The catalogue's part of the expert area: profile edits (moderated) and offerings (immediate).

The dashboard at /expert/ and the availability screen are the bookings app's.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError

from ..access import expert_required, own_profile
from ..forms import ExpertPageForm, PackageForm, SessionTypeForm
from ..forms.questionnaire import QuestionnaireForm
from ..models import ExpertPage, IntakeQuestion, Package, SessionType
from ..services import (
    expert_page_submit_changes,
    expert_source_page,
    package_create,
    package_delete,
    package_update,
    session_type_create,
    session_type_delete,
    session_type_update,
)


def _no_page(request: HttpRequest) -> HttpResponse:
    """An expert whose page staff removed (or erased) gets a way forward, not an error."""
    messages.error(request, _("Your public page could not be found. Please contact support to set it up again."))
    return redirect("expert_dashboard")


@expert_required
def expert_profile_edit(request: HttpRequest) -> HttpResponse:
    profile = own_profile(request)
    try:
        page = expert_source_page(profile=profile)
    except ExpertPage.DoesNotExist:
        return _no_page(request)
    draft = page.get_latest_revision_as_object()
    if request.method == "POST":
        form = ExpertPageForm(request.POST, request.FILES)
        if form.is_valid():
            changes = {name: value for name, value in form.cleaned_data.items() if name != "photo"}
            # The photo field is a file, None (unchanged) or False ("photo-clear": remove it).
            photo = form.cleaned_data.get("photo")
            try:
                expert_page_submit_changes(
                    profile=profile,
                    user=request.user,
                    changes=changes,
                    photo_upload=photo or None,
                    remove_photo=photo is False,
                )
            except ApplicationError as error:
                form.add_error("photo" if photo else None, error.message)
            else:
                messages.success(
                    request, _("Thanks! Your changes were sent for review and go live once a moderator approves them.")
                )
                return redirect("expert_dashboard")
    else:
        form = ExpertPageForm(
            initial={
                # A current photo gives the file input its "Clear" checkbox (photo-clear).
                "photo": draft.photo.file if draft.photo else None,
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
    profile = own_profile(request)
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
        except ApplicationError as error:
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
            "questionnaire_form": QuestionnaireForm(questions=list(IntakeQuestion.objects.filter(profile=profile))),
        },
    )


def _offering_edit(request: HttpRequest, *, offering, kind: str, form, save, saved_message: str) -> HttpResponse:
    """The edit screen shared by session types and packages: validate, save through the service, report."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, saved_message)
            return redirect("expert_offerings")
    return render(request, "marketplace/expert_offering_edit.html", {"form": form, "offering": offering, "kind": kind})


@expert_required
def expert_session_type_edit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = own_profile(request)
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
    profile = own_profile(request)
    session_type_delete(session_type=get_object_or_404(SessionType, pk=pk, profile=profile))
    messages.success(request, _("Session type removed, with its packages."))
    return redirect("expert_offerings")


@expert_required
def expert_package_edit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = own_profile(request)
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
    profile = own_profile(request)
    package_delete(package=get_object_or_404(Package, pk=pk, profile=profile))
    messages.success(request, _("Package removed."))
    return redirect("expert_offerings")
