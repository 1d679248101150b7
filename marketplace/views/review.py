"""The staff review queue and review screen in the Wagtail admin (``/admin/applications/``).

Only users with ``marketplace.review_expertapplication`` (the "Expert reviewers"
group, or superusers) get past ``reviewer_required``; Wagtail's admin wrapper
already sent everyone else without admin access to the login page. Every
action is a POST to the review screen with an ``action`` field, handled by one
review service; a refusal comes back as an error message, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from wagtail.admin.auth import permission_denied

from core.errors import ApplicationError

from ..models import ApplicationDocument, ExpertApplication
from ..review_forms import DocumentCheckForm, MessageForm, QueueFilterForm
from ..selectors.completeness import application_completeness
from ..selectors.review_queue import QueueFilters, application_for_review, application_queue, review_reviewers
from ..services.application_review import (
    REVIEW_PERMISSION,
    application_approve,
    application_claim,
    application_document_check,
    application_note_add,
    application_reject,
    application_request_changes,
)

DOCUMENT_URL_NAME = "application_document"


def reviewer_required(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.has_perm(REVIEW_PERMISSION):
            return permission_denied(request)
        return view(request, *args, **kwargs)

    return wrapper


@reviewer_required
def review_queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None, reviewers=review_reviewers())
    filters = form.filters() if request.GET else QueueFilters()
    notices = form.notices() if request.GET else []
    page = application_queue(
        filters=filters, viewer_id=request.user.pk, page_number=request.GET.get("p"), notices=notices
    )
    query = request.GET.copy()
    query.pop("p", None)
    return TemplateResponse(
        request,
        "marketplace/admin/review_queue.html",
        {"form": form, "page_obj": page, "notices": notices, "filters": filters, "query": query.urlencode()},
    )


def _document_url(document: ApplicationDocument) -> str:
    try:
        return reverse(DOCUMENT_URL_NAME, kwargs={"pk": document.pk})
    except NoReverseMatch:  # pragma: no cover - the applicant side owns the route
        return ""


# action -> (form class or None, how to call the service, success message)
def _actions(request: HttpRequest, application: ExpertApplication) -> dict[str, tuple]:
    actor = request.user
    return {
        "claim": (None, lambda data: application_claim(application=application, actor=actor), _("You hold it now.")),
        "take_over": (
            None,
            lambda data: application_claim(application=application, actor=actor, take_over=True),
            _("You took the application over."),
        ),
        "note": (
            MessageForm,
            lambda data: application_note_add(application=application, actor=actor, text=data["message"]),
            _("Note added (staff only)."),
        ),
        "check": (
            DocumentCheckForm,
            lambda data: application_document_check(
                application=application, document_id=data["document"], actor=actor, check_status=data["check_status"]
            ),
            _("Document checked."),
        ),
        "request_changes": (
            MessageForm,
            lambda data: application_request_changes(application=application, actor=actor, message=data["message"]),
            _("Changes requested. The applicant was emailed your message."),
        ),
        "reject": (
            MessageForm,
            lambda data: application_reject(application=application, actor=actor, reason=data["message"]),
            _("Application rejected. The applicant was emailed the reason."),
        ),
        "approve": (
            None,
            lambda data: application_approve(application=application, actor=actor),
            _("Approved. The expert's page waits in moderation; they were emailed how to go live."),
        ),
    }


@reviewer_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_review(pk=pk)
    if application is None:
        raise Http404
    forms: dict[str, object] = {}
    refused = False
    if request.method == "POST":
        action = request.POST.get("action", "")
        known = _actions(request, application)
        if action not in known:
            messages.error(request, _("Unknown action."))
            return redirect("marketplace_review_detail", pk=pk)
        form_class, call, success = known[action]
        form = form_class(request.POST) if form_class else None
        if form is not None and not form.is_valid():
            forms[action] = form
            messages.error(request, _("Please fix the message below."))
            refused = True
        else:
            try:
                call(form.cleaned_data if form is not None else {})
            except ApplicationError as error:
                messages.error(request, error.message)
                refused = True
                if form is not None:
                    forms[action] = form
            else:
                messages.success(request, success)
                return redirect("marketplace_review_detail", pk=pk)
        application = application_for_review(pk=pk)
    documents = [(document, _document_url(document)) for document in application.documents.all()]
    user = request.user
    return TemplateResponse(
        request,
        "marketplace/admin/review_detail.html",
        {
            "application": application,
            "documents": documents,
            "events": list(application.events.all()),
            "held_by_me": application.reviewer_id == user.pk
            and application.status == ExpertApplication.Status.IN_REVIEW,
            "held_by_other": application.reviewer_id not in (None, user.pk)
            and application.status in ExpertApplication.WAITING_STATUSES,
            "can_claim": application.status in ExpertApplication.WAITING_STATUSES,
            "note_form": forms.get("note") or MessageForm(),
            "changes_form": forms.get("request_changes") or MessageForm(),
            "reject_form": forms.get("reject") or MessageForm(),
            "check_choices": DocumentCheckForm.base_fields["check_status"].choices,
            "hints": application_completeness(application=application, urls={}),
        },
        status=400 if refused else 200,
    )
