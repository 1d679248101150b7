"""The new expert's way live: preview the draft page, then publish it once the checklist is complete."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.errors import ApplicationError

from ..access import expert_required, own_profile
from ..models import ExpertPage
from ..services import expert_source_page
from ..services.launch import expert_page_go_live


@expert_required
@require_GET
def expert_page_preview(request: HttpRequest) -> HttpResponse:
    """The expert's page as its latest draft would look, for its expert only (never cached, never indexed)."""
    try:
        page = expert_source_page(profile=own_profile(request))
    except ExpertPage.DoesNotExist:
        raise Http404(_("Your public page could not be found.")) from None
    draft = page.get_latest_revision_as_object()
    request.is_preview = True
    request.preview_mode = draft.default_preview_mode
    response = draft.serve_preview(request, draft.default_preview_mode)
    response.render()
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@expert_required
@require_POST
def expert_page_publish(request: HttpRequest) -> HttpResponse:
    try:
        expert_page_go_live(profile=own_profile(request), user=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your page is live. Learners can now find and book you."))
    return redirect("expert_dashboard")
