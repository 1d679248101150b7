"""The expert application at /join/apply/ (account, then five steps) and its status page /join/application/.

Each step is a plain form that saves the draft and moves on (or back, with the
"Save and go back" button), so it works without JavaScript and resumes on any
device. A visitor who is signed out sees the account step: sign up or sign in,
and both come back to /join/apply/ through allauth's ``next`` (the same way
booking sends signed-out learners to the login page and back).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import ApplicationError

from ..forms import AboutForm, AnswerForm, DocumentForm, ExpertiseForm, OfferForm
from ..models import ExpertApplication
from ..selectors.applications import (
    STEP_SLUGS,
    STEPS,
    application_hints,
    application_latest_of,
    application_open_of,
    application_public_history,
    hints_score,
)
from ..services.application_documents import application_document_add, application_document_remove
from ..services.applications import (
    application_about_save,
    application_answer_changes,
    application_cooloff_ends,
    application_credentials_done,
    application_expertise_save,
    application_missing,
    application_offer_save,
    application_start,
    application_submit,
)

APPLY_PATH = "/join/apply/"


def _step_url(step: str) -> str:
    return reverse("application_step", kwargs={"step": step})


def _resume_step(application: ExpertApplication | None) -> str:
    """The first step not yet completed (review once all four are)."""
    done = application.step if application else 0
    return STEP_SLUGS[min(done, len(STEP_SLUGS) - 1)]


def _progress(current: str, application: ExpertApplication | None) -> list[dict]:
    done = application.step if application else 0
    # Open steps: the completed ones and the first unfinished one (index == done).
    return [
        {
            "slug": slug,
            "label": label,
            "number": index + 2,
            "current": slug == current,
            "done": index < done,
            "url": _step_url(slug) if index <= done else "",
        }
        for index, (slug, label) in enumerate(STEPS)
    ]


def _closed_reason(user) -> str | None:
    if user.is_expert:
        return _("You are already an expert on TapTime: your expert area is where you manage your profile.")
    ends = application_cooloff_ends(user=user)
    if ends is not None:
        return _(
            "Thank you for your interest. After a decision you can apply again from %(date)s; we look forward to it."
        ) % {"date": date_format(ends, "DATE_FORMAT")}
    return None


@require_http_methods(["GET"])
def application_apply(request: HttpRequest) -> HttpResponse:
    """The entry point: the account step for visitors, else the step to resume (or why not)."""
    if not request.user.is_authenticated:
        query = urlencode({"next": APPLY_PATH})
        return render(
            request,
            "marketplace/apply/account.html",
            {
                "signup_url": f"{reverse('account_signup')}?{query}",
                "login_url": f"{reverse('account_login')}?{query}",
                "progress": _progress("", None),
            },
        )
    application = application_open_of(request.user)
    if application is not None and not application.is_editable:
        return redirect("application_status")
    if application is None:
        reason = _closed_reason(request.user)
        if reason:
            return render(request, "marketplace/apply/closed.html", {"reason": reason})
    return redirect(_step_url(_resume_step(application)))


def _render_step(request, step, application, **context) -> HttpResponse:
    index = STEP_SLUGS.index(step)
    return render(
        request,
        f"marketplace/apply/{step}.html",
        {
            "step": step,
            "application": application,
            "progress": _progress(step, application),
            "back_url": _step_url(STEP_SLUGS[index - 1]) if index else APPLY_PATH,
            "step_number": index + 2,
            "step_count": len(STEPS) + 1,
            **context,
        },
    )


def _after_save(request, step: str) -> HttpResponse:
    index = STEP_SLUGS.index(step)
    if request.POST.get("back") and index:
        return redirect(_step_url(STEP_SLUGS[index - 1]))
    messages.success(request, _("Saved. You can come back to your application at any time."))
    return redirect(_step_url(STEP_SLUGS[index + 1]))


@login_required
@require_http_methods(["GET", "POST"])
def application_step(request: HttpRequest, step: str) -> HttpResponse:
    if step not in STEP_SLUGS:
        raise Http404
    user = request.user
    application = application_open_of(user)
    if application is None:
        if _closed_reason(user):
            return redirect("application_apply")
        if step != "about":
            return redirect(_step_url("about"))
    elif not application.is_editable:
        if request.method == "POST":
            messages.error(request, _("Your application is with our reviewers and cannot be changed now."))
        return redirect("application_status")
    elif STEP_SLUGS.index(step) > application.step:
        # Steps open in order: no skipping ahead past the first unfinished one.
        return redirect(_step_url(_resume_step(application)))
    view = {
        "about": _about,
        "expertise": _expertise,
        "offer": _offer,
        "credentials": _credentials,
        "review": _review,
    }[step]
    try:
        return view(request, application)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(_step_url(step))


def _about(request, application):
    has_photo = bool(application and application.photo)
    if request.method == "POST":
        form = AboutForm(request.POST, request.FILES, has_photo=has_photo)
        if form.is_valid():
            data = form.cleaned_data
            try:
                application = application or application_start(user=request.user)
                application_about_save(
                    application=application,
                    user=request.user,
                    headline=data["headline"],
                    bio=data["bio"],
                    languages=data["languages"],
                    time_zone=data["time_zone"],
                    links=data["links"],
                    photo_upload=data.get("photo") or None,
                    remove_photo=bool(data.get("remove_photo")),
                )
            except ApplicationError as error:
                form.add_error("photo" if data.get("photo") else None, error.message)
            else:
                return _after_save(request, "about")
    else:
        form = AboutForm(initial=AboutForm.initial_from(application, request.user), has_photo=has_photo)
    return _render_step(request, "about", application, form=form)


def _expertise(request, application):
    if request.method == "POST":
        form = ExpertiseForm(request.POST)
        if form.is_valid():
            application_expertise_save(
                application=application,
                user=request.user,
                categories=form.cleaned_data["categories"],
                skills=form.cleaned_data["skills"],
                years_experience=form.cleaned_data["years_experience"],
            )
            return _after_save(request, "expertise")
    else:
        form = ExpertiseForm(initial=ExpertiseForm.initial_from(application))
    return _render_step(request, "expertise", application, form=form)


def _offer(request, application):
    if request.method == "POST":
        form = OfferForm(request.POST)
        if form.is_valid():
            application_offer_save(application=application, user=request.user, offer=form.offer)
            return _after_save(request, "offer")
    else:
        form = OfferForm(initial=OfferForm.initial_from(application))
    return _render_step(request, "offer", application, form=form)


def _credentials(request, application):
    max_bytes = settings.EXPERT_DOCUMENT_MAX_BYTES
    form = DocumentForm(max_bytes=max_bytes)
    if request.method == "POST" and request.POST.get("action") == "upload":
        form = DocumentForm(request.POST, request.FILES, max_bytes=max_bytes)
        if form.is_valid():
            data = form.cleaned_data
            try:
                application_document_add(
                    application=application,
                    user=request.user,
                    upload=data["file"],
                    kind=data["kind"],
                    title=data["title"],
                    expires_on=data["expires_on"],
                )
            except ApplicationError as error:
                form.add_error("file", error.message)
            else:
                messages.success(request, _("Document added."))
                return redirect(_step_url("credentials"))
    elif request.method == "POST":
        application_credentials_done(application=application, user=request.user)
        return _after_save(request, "credentials")
    return _render_step(request, "credentials", application, form=form, documents=list(application.documents.all()))


def _review(request, application):
    if request.method == "POST":
        try:
            application_submit(application=application, user=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect(_step_url("review"))
        messages.success(request, _("Thank you! Your application is with our reviewers."))
        return redirect("application_status")
    hints = application_hints(application)
    return _render_step(
        request,
        "review",
        application,
        missing=application_missing(application),
        hints=hints,
        score=hints_score(hints),
        documents=list(application.documents.all()),
    )


@login_required
@require_POST
def application_document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_open_of(request.user)
    if application is None or not any(document.pk == pk for document in application.documents.all()):
        raise Http404
    try:
        application_document_remove(application=application, user=request.user, document_id=pk)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Document removed."))
    return redirect(_step_url("credentials"))


@login_required
@require_http_methods(["GET", "POST"])
def application_status(request: HttpRequest) -> HttpResponse:
    application = application_latest_of(request.user)
    form = AnswerForm()
    if request.method == "POST":
        if application is None:
            raise Http404
        if application.status != ExpertApplication.Status.CHANGES_REQUESTED:
            # A stale tab: the answer form is gone from the page, so say it here.
            messages.error(request, _("There is no change request to answer."))
            return redirect("application_status")
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                application_answer_changes(
                    application=application, user=request.user, message=form.cleaned_data["message"]
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Thank you! Your answer and your application are back with the reviewer."))
                return redirect("application_status")
    context = {"application": application, "form": form, "closed_reason": None}
    if application is not None:
        context["history"] = application_public_history(application)
        if application.status == ExpertApplication.Status.CHANGES_REQUESTED:
            context["missing"] = application_missing(application)
    if application is None or not application.is_open:
        context["closed_reason"] = _closed_reason(request.user)
    return render(request, "marketplace/apply/status.html", context)
