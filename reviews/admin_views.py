"""The review moderation queue in the Wagtail admin (``/admin/review-moderation/``).

Only users with ``reviews.moderate_sessionreview`` (the "Review moderators" group, or superusers)
get past ``moderator_required``; Wagtail's admin wrapper already sent everyone without admin access
to the login page. Each decision is a POST with an ``action`` field handled by one moderation
service; a refusal comes back as an error message, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.auth import permission_denied

from core.errors import ApplicationError

from .models import SessionReview
from .selectors import moderation_queue
from .services.moderation import MODERATE_PERMISSION, review_dismiss, review_hide, review_restore, review_staff_reply


def moderator_required(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.has_perm(MODERATE_PERMISSION):
            return permission_denied(request)
        return view(request, *args, **kwargs)

    return wrapper


@moderator_required
def moderation_queue_view(request: HttpRequest) -> HttpResponse:
    show = "hidden" if request.GET.get("show") == "hidden" else "queue"
    page = moderation_queue(show=show, raw_page=request.GET.get("p"))
    return TemplateResponse(request, "reviews/admin/moderation_queue.html", {"page_obj": page, "show": show})


ACTIONS = {
    "hide": (review_hide, "reason", gettext_lazy("Review hidden. The author was emailed the reason.")),
    "restore": (review_restore, "reason", gettext_lazy("Review restored.")),
    "dismiss": (review_dismiss, "reason", gettext_lazy("Review kept; its reports are answered.")),
    "reply": (review_staff_reply, "text", gettext_lazy("Your reply is published under the review.")),
}


@require_POST
@moderator_required
def moderation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    review = SessionReview.objects.filter(pk=pk).first()
    if review is None:
        raise Http404
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        messages.error(request, _("Unknown action."))
    else:
        service, field, success = ACTIONS[action]
        try:
            service(review=review, staff=request.user, **{field: request.POST.get(field, "")[:2000]})
        except ApplicationError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, str(success))
    url = reverse("reviews_moderation_queue")
    return redirect(url + "?show=hidden" if request.POST.get("show") == "hidden" else url)
