"""The inbox, a thread, "ask a question", reports, blocks and attachment downloads.

Every route with an id answers 404 to anyone who is not one of the thread's two people, exactly
like an unknown id (staff included: moderators read reported threads in the Wagtail admin, where
opening one is logged). Attachments answer 404 even to signed-out visitors: a login page would
confirm that the id exists.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError
from marketplace.models import ExpertPage, ExpertProfile

from ..access import participant_booking
from ..message_forms import MessageForm, MessageReportForm, QuestionForm, QuestionsSettingForm
from ..models import Message
from ..selectors.messages import inbox_page, participant_thread, thread_messages_page
from ..services.messages import (
    message_report,
    message_send,
    messaging_questions_set,
    question_ask,
    questions_open,
    thread_block,
    thread_for_booking,
    thread_mark_read,
)


def _thread_or_404(request: HttpRequest, pk: int):
    thread = participant_thread(user=request.user, pk=pk)
    if thread is None:
        raise Http404
    return thread


def _expert_profile(user) -> ExpertProfile | None:
    return ExpertProfile.objects.filter(user=user).first() if getattr(user, "is_expert", False) else None


@require_GET
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """``/messages/``: the user's threads, newest activity first, with unread counts."""
    profile = _expert_profile(request.user)
    settings_form = (
        QuestionsSettingForm(initial={"questions_open": questions_open(profile=profile)}) if profile else None
    )
    return render(
        request,
        "bookings/messages/inbox.html",
        {"page_obj": inbox_page(user=request.user, raw_page=request.GET.get("page")), "settings_form": settings_form},
    )


@require_POST
@login_required
def messaging_settings(request: HttpRequest) -> HttpResponse:
    """The expert switches "ask a question" on or off (a learner gets 404: there is nothing of theirs here)."""
    profile = _expert_profile(request.user)
    if profile is None:
        raise Http404
    form = QuestionsSettingForm(request.POST)
    form.is_valid()
    setting = messaging_questions_set(profile=profile, questions_open=form.cleaned_data.get("questions_open", False))
    messages.success(
        request,
        _("Learners can ask you a question from your page.")
        if setting.questions_open
        else _("Questions before a booking are off. Learners with a booking can still write to you."),
    )
    return redirect("message_inbox")


@require_http_methods(["GET", "POST"])
@login_required
def thread_view(request: HttpRequest, pk: int) -> HttpResponse:
    """``/messages/<id>/``: the conversation, newest page first, and the reply form; reading marks it read."""
    thread = _thread_or_404(request, pk)
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            message_send(
                thread=thread,
                sender=request.user,
                text=form.cleaned_data.get("text") or "",
                upload=form.cleaned_data.get("attachment"),
            )
        except ApplicationError as refused:
            form.add_error(None, refused.message)
        else:
            return redirect(reverse("message_thread", kwargs={"pk": thread.pk}) + "#latest")
    page = thread_messages_page(thread=thread, raw_page=request.GET.get("page"))
    other_read_at = thread.expert_read_at if thread.role_of(request.user) == "learner" else thread.learner_read_at
    thread_mark_read(thread=thread, user=request.user)
    return render(
        request,
        "bookings/messages/thread.html",
        {
            "thread": thread,
            "other": thread.other(request.user),
            "page_obj": page,
            "rows": list(reversed(page.object_list)),
            "other_read_at": other_read_at,
            "form": form,
            "report_form": MessageReportForm(),
            "blocked_by_me": thread.blocked_by(request.user),
            "blocked_by_other": thread.blocked_by_other(request.user),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def thread_block_view(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _thread_or_404(request, pk)
    block = request.POST.get("block") == "1"
    thread_block(thread=thread, by=request.user, blocked=block)
    messages.success(
        request,
        _("%(name)s can no longer write to you. Your bookings are kept.") % {"name": thread.other(request.user)}
        if block
        else _("%(name)s can write to you again.") % {"name": thread.other(request.user)},
    )
    return redirect("message_thread", pk=thread.pk)


def _participant_message(request: HttpRequest, pk: int) -> Message:
    message = Message.objects.select_related("thread").filter(pk=pk).first() if request.user.is_authenticated else None
    if message is None or message.thread.role_of(request.user) is None:
        raise Http404
    return message


@require_POST
@login_required
def message_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    message = _participant_message(request, pk)
    form = MessageReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please say why you are reporting this message."))
    else:
        try:
            message_report(message=message, reporter=request.user, reason=form.cleaned_data["reason"])
        except ApplicationError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Thank you. TapTime's moderators will look at this conversation."))
    return redirect("message_thread", pk=message.thread_id)


@require_GET
def message_attachment(request: HttpRequest, pk: int) -> FileResponse:
    """The only way to an attachment: the thread's two people; everyone else (signed out too) gets 404."""
    message = _participant_message(request, pk)
    if not message.attachment or message.hidden_at is not None:
        raise Http404
    try:
        handle = message.attachment.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=not message.is_inline,
        filename=message.attachment_name or "attachment",
        content_type=message.attachment_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
@login_required
def booking_messages(request: HttpRequest, pk: int) -> HttpResponse:
    """From a booking page: the pair's thread (made on first use), for either participant only."""
    booking = participant_booking(request, pk)
    return redirect("message_thread", pk=thread_for_booking(booking=booking).pk)


@require_http_methods(["GET", "POST"])
def expert_question(request: HttpRequest, page_id: int) -> HttpResponse:
    """``/experts/ask/<page id>/``: a learner's question before a first booking (the short form of the page)."""
    page = get_object_or_404(ExpertPage.objects.live().select_related("profile__user"), pk=page_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            message = question_ask(learner=request.user, profile=page.profile, text=form.cleaned_data["text"])
        except ApplicationError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Your question is sent. The answer will be in your messages."))
            return redirect("message_thread", pk=message.thread_id)
    return render(
        request,
        "bookings/messages/ask.html",
        {"page": page, "form": form, "open": questions_open(profile=page.profile)},
        status=400 if request.method == "POST" else 200,
    )
