"""The session tools: goals note, questionnaire answers, notes, and the expert's resources.

Every route takes a booking (or a resource) id and answers 404 to anyone but the
participants it is for, exactly like an unknown id (``bookings.access``). Each
form page saves through one service and goes back to the session page; a
refusal keeps the user's text on the form with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import ApplicationError

from ..access import Role, participant_booking
from ..errors import NoteChanged
from ..models import Booking, SessionResource
from ..models.session_tools import before_start, tools_open
from ..selectors.session_tools import questionnaire_rows, session_note
from ..services.resources import (
    DOWNLOAD_EXTENSIONS,
    session_resource_add_file,
    session_resource_add_link,
    session_resource_remove,
)
from ..services.session_tools import booking_answers_save, booking_goals_update, session_note_save
from ..session_forms import AnswersForm, FileResourceForm, GoalsForm, LinkResourceForm, NoteForm

GET_POST = require_http_methods(["GET", "POST"])


def _tools_url(booking: Booking) -> str:
    return reverse("booking_detail", kwargs={"pk": booking.pk}) + "#session-tools"


def session_booking(role: Role) -> Callable:
    """Signed in (else the login page), then the paid booking if the user is its ``role``, else 404."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, pk: int) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            booking = participant_booking(request, pk, role=role)
            if not booking.was_paid:
                raise Http404
            return view(request, booking)

        return wrapper

    return decorate


def _page(request: HttpRequest, booking: Booking, *, title: str, form, **extra) -> HttpResponse:
    return render(
        request,
        "bookings/session_tool_form.html",
        {
            "booking": booking,
            "title": title,
            "form": form,
            "back": _tools_url(booking),
            "viewer_zone": booking.zone_of(request.user),
            **extra,
        },
    )


@GET_POST
@session_booking("learner")
def booking_goals(request: HttpRequest, booking: Booking) -> HttpResponse:
    if not before_start(booking, timezone.now()):
        messages.info(request, _("The goals note can be changed only until the session starts."))
        return redirect(_tools_url(booking))
    form = GoalsForm(request.POST or None, initial={"goals_note": booking.goals_note})
    if request.method == "POST" and form.is_valid():
        try:
            booking_goals_update(booking=booking, by=request.user, goals_note=form.cleaned_data["goals_note"])
        except ApplicationError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Your goals are saved. Your expert can read them now."))
            return redirect(_tools_url(booking))
    return _page(request, booking, title=_("Your goals for this session"), form=form)


@GET_POST
@session_booking("learner")
def booking_questionnaire(request: HttpRequest, booking: Booking) -> HttpResponse:
    if not before_start(booking, timezone.now()):
        messages.info(request, _("The questionnaire can be answered only until the session starts."))
        return redirect(_tools_url(booking))
    rows = questionnaire_rows(booking=booking)
    if not rows:
        messages.info(request, _("This expert asks no questions before a session."))
        return redirect(_tools_url(booking))
    form = AnswersForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            booking_answers_save(booking=booking, by=request.user, answers=form.answers())
        except ApplicationError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Your answers are saved. Your expert can read them now."))
            return redirect(_tools_url(booking))
    return _page(request, booking, title=_("Questions from your expert"), form=form)


def _note_view(request: HttpRequest, booking: Booking, *, shared: bool) -> HttpResponse:
    if not tools_open(booking):
        messages.info(request, _("Notes of a cancelled session can no longer be changed."))
        return redirect(_tools_url(booking))
    note = session_note(booking=booking, author=request.user, shared=shared)
    loaded = {"body": note.body if note else "", "version": note.version if note else 0}
    form = NoteForm(request.POST or None, initial=loaded)
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            session_note_save(
                booking=booking,
                by=request.user,
                shared=shared,
                body=form.cleaned_data["body"],
                version=form.cleaned_data["version"],
            )
        except NoteChanged as refused:
            conflict = True
            form.add_error(None, refused.message)
        except ApplicationError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Note saved."))
            return redirect(_tools_url(booking))
    title = _("Shared notes (your learner reads them)") if shared else _("Your private notes (only you read them)")
    # On a conflict the page shows the text saved elsewhere next to the user's own, which stays in the form.
    return _page(request, booking, title=title, form=form, conflict_note=note if conflict else None)


@GET_POST
@session_booking("participant")
def booking_note_private(request: HttpRequest, booking: Booking) -> HttpResponse:
    return _note_view(request, booking, shared=False)


@GET_POST
@session_booking("expert")
def booking_note_shared(request: HttpRequest, booking: Booking) -> HttpResponse:
    return _note_view(request, booking, shared=True)


@GET_POST
@session_booking("expert")
def booking_resources(request: HttpRequest, booking: Booking) -> HttpResponse:
    """The expert adds a link or a file (two forms on one page, told apart by ``kind``)."""
    if not tools_open(booking):
        messages.info(request, _("Resources of a cancelled session can no longer be changed."))
        return redirect(_tools_url(booking))
    kind = request.POST.get("kind") if request.method == "POST" else None
    link_form = LinkResourceForm(request.POST if kind == "link" else None, prefix="link")
    file_form = FileResourceForm(request.POST if kind == "file" else None, request.FILES or None, prefix="file")
    form = link_form if kind == "link" else file_form if kind == "file" else None
    if form is not None and form.is_valid():
        try:
            if kind == "link":
                session_resource_add_link(
                    booking=booking, by=request.user, title=form.cleaned_data["title"], url=form.cleaned_data["url"]
                )
            else:
                session_resource_add_file(
                    booking=booking, by=request.user, title=form.cleaned_data["title"], upload=form.cleaned_data["file"]
                )
        except ApplicationError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Resource added. Your learner sees it on the session page."))
            return redirect(_tools_url(booking))
    elif request.method == "POST" and form is None:
        messages.error(request, _("Choose whether to add a link or a file."))
    return render(
        request,
        "bookings/session_resources.html",
        {
            "booking": booking,
            "link_form": link_form,
            "file_form": file_form,
            "back": _tools_url(booking),
            "max_bytes": settings.BOOKING_RESOURCE_MAX_BYTES,
        },
    )


def _resource_for(request: HttpRequest, pk: int, *, expert_only: bool) -> SessionResource:
    """The resource if the signed-in user takes part in its (paid) booking; 404 for everyone else."""
    resource = SessionResource.objects.select_related("booking").filter(pk=pk).first()
    if resource is None or not resource.booking.was_paid:
        raise Http404
    allowed = (
        (resource.booking.expert_id,) if expert_only else (resource.booking.expert_id, resource.booking.learner_id)
    )
    if request.user.pk not in allowed:
        raise Http404
    return resource


@require_http_methods(["POST"])
def session_resource_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    resource = _resource_for(request, pk, expert_only=True)
    try:
        session_resource_remove(resource=resource, by=request.user)
    except ApplicationError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Resource removed."))
    return redirect(_tools_url(resource.booking))


@require_http_methods(["GET"])
def session_resource_file(request: HttpRequest, pk: int) -> FileResponse:
    """The only way to a resource file. Signed out visitors get the 404 too: a login page would
    confirm that the id exists. Images and PDFs open in the browser, anything else downloads;
    always ``nosniff``, never cached, and sandboxed so nothing in a file runs on our origin."""
    resource = _resource_for(request, pk, expert_only=False)
    if resource.kind != SessionResource.Kind.FILE or not resource.file:
        raise Http404
    try:
        handle = resource.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    name = slugify(resource.title)[:60] or "resource"
    response = FileResponse(
        handle,
        as_attachment=not resource.is_inline,
        filename=f"{name}.{DOWNLOAD_EXTENSIONS[resource.content_type]}",
        content_type=resource.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response
