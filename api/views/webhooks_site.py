"""/expert/webhooks/: the expert's webhook endpoints, their delivery log, and replay.

Site pages (HTML, session, CSRF) rather than API endpoints; every change goes
through ``api.webhooks``, and every id is looked up among the signed-in
user's own endpoints (anyone else's is the 404 an unknown one gets).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from marketplace.access import expert_required

from ..forms import WebhookEndpointForm
from ..webhooks import (
    WebhookError,
    webhook_delivery_replay,
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoints_of,
)


@never_cache
@expert_required
def expert_webhooks(request: HttpRequest) -> HttpResponse:
    """List the endpoints with their recent deliveries; a POST adds one and shows its secret once."""
    form = WebhookEndpointForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = webhook_endpoint_create(
                user=request.user, url=form.cleaned_data["url"], events=form.cleaned_data["events"]
            )
        except WebhookError as refused:
            form.add_error("url" if refused.code == "bad_url" else None, refused.message)
        else:
            created = {"endpoint": endpoint, "secret": secret}
            form = WebhookEndpointForm()
    return render(
        request,
        "api/expert_webhooks.html",
        {"form": form, "created": created, "endpoints": webhook_endpoints_of(user=request.user)},
        status=400 if form.errors else 200,
    )


@require_POST
@expert_required
def expert_webhook_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if not webhook_endpoint_delete(user=request.user, endpoint_id=pk):
        raise Http404
    messages.success(request, _("The endpoint is deleted; nothing more is sent to it."))
    return redirect("expert_webhooks")


@require_POST
@expert_required
def expert_webhook_replay(request: HttpRequest, pk: int) -> HttpResponse:
    if webhook_delivery_replay(user=request.user, delivery_id=pk) is None:
        raise Http404
    messages.success(request, _("The event is queued to be sent again."))
    return redirect("expert_webhooks")
