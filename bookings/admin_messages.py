"""Reported and flagged message threads in the Wagtail admin (``/admin/message-moderation/``).

Staff never get a list of all threads: the queue holds only threads a participant reported or the
automatic check flagged, and opening one writes an audit entry (who, when) before anything is shown.
Only users with ``bookings.moderate_thread`` (or superusers) get past ``moderator_required``;
Wagtail's admin wrapper already sent everyone without admin access to the login page. A thread that
is not in the queue answers 404 here too.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter, log

from core.parsing import parse_int

from .models import Message, Thread
from .selectors.messages import moderation_queue
from .services.messages import (
    LOG_DISMISS,
    LOG_HIDE,
    LOG_OPEN,
    MODERATE_PERMISSION,
    message_hide,
    thread_dismiss,
    thread_open_by_staff,
)

LOG_DOWNLOAD = "bookings.message.download"


def moderator_required(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.has_perm(MODERATE_PERMISSION):
            return permission_denied(request)
        return view(request, *args, **kwargs)

    return wrapper


def _queued_thread(pk: int) -> Thread:
    thread = Thread.objects.select_related("learner", "expert").filter(pk=pk, needs_moderation=True).first()
    if thread is None:
        raise Http404
    return thread


@moderator_required
def queue_view(request: HttpRequest) -> HttpResponse:
    page = moderation_queue(raw_page=request.GET.get("p"))
    return TemplateResponse(request, "bookings/admin/message_queue.html", {"page_obj": page})


@moderator_required
def thread_view(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _queued_thread(pk)
    thread_open_by_staff(thread=thread, staff=request.user)
    rows = (
        Message.objects.filter(thread=thread)
        .select_related("sender")
        .prefetch_related("reports__reporter")
        .order_by("-created_at", "-id")[:200]
    )
    return TemplateResponse(
        request, "bookings/admin/message_thread.html", {"thread": thread, "rows": list(reversed(rows))}
    )


@require_POST
@moderator_required
def decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _queued_thread(pk)
    action = request.POST.get("action", "")
    if action == "hide":
        message_id = parse_int(request.POST.get("message"), minimum=1, maximum=2**31 - 1)
        message = Message.objects.filter(pk=message_id, thread=thread).first() if message_id else None
        if message is None:
            messages.error(request, _("That message is not in this conversation."))
        else:
            message_hide(message=message, staff=request.user, reason=request.POST.get("reason", "")[:500])
            messages.success(request, _("Message hidden. Both participants see that it was hidden."))
        return redirect("bookings_message_thread", pk=thread.pk)
    if action == "dismiss":
        thread_dismiss(thread=thread, staff=request.user)
        messages.success(request, _("The conversation left the queue; its reports are answered."))
        return redirect("bookings_message_queue")
    messages.error(request, _("Unknown action."))
    return redirect("bookings_message_thread", pk=thread.pk)


@moderator_required
def attachment_view(request: HttpRequest, pk: int) -> FileResponse:
    """A moderator downloads an attachment of a queued thread (logged); anything else is 404."""
    message = Message.objects.select_related("thread").filter(pk=pk, thread__needs_moderation=True).first()
    if message is None or not message.attachment:
        raise Http404
    log(instance=message.thread, action=LOG_DOWNLOAD, user=request.user, data={"message": message.pk})
    response = FileResponse(
        message.attachment.open("rb"),
        as_attachment=True,
        filename=message.attachment_name or "attachment",
        content_type=message.attachment_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@hooks.register("register_admin_urls")
def register_message_moderation_urls():
    return [
        path("message-moderation/", queue_view, name="bookings_message_queue"),
        path("message-moderation/<int:pk>/", thread_view, name="bookings_message_thread"),
        path("message-moderation/<int:pk>/decide/", decide_view, name="bookings_message_decide"),
        path("message-moderation/file/<int:pk>/", attachment_view, name="bookings_message_file"),
    ]


class MessageModerationMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(MODERATE_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_message_moderation_menu_item():
    return MessageModerationMenuItem(
        gettext_lazy("Message reports"),
        reverse("bookings_message_queue"),
        name="message-moderation",
        icon_name="warning",
        order=221,
    )


LOG_LABELS = {
    LOG_OPEN: gettext_lazy("Open a reported message thread"),
    LOG_HIDE: gettext_lazy("Hide a message"),
    LOG_DISMISS: gettext_lazy("Dismiss reports on a message thread"),
    LOG_DOWNLOAD: gettext_lazy("Download an attachment of a reported thread"),
}


@hooks.register("register_log_actions")
def register_message_log_actions(actions):
    for key, label in LOG_LABELS.items():
        actions.register_action(key)(type("MessageModerationLogFormatter", (LogFormatter,), {"label": label}))
