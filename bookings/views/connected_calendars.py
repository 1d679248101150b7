"""Connecting an expert's Google or Outlook calendar: the consent page, its return, and disconnecting.

The state sent to the provider is a random value kept in the expert's session
and compared in constant time on return, so a link crafted by someone else
cannot attach their calendar to this expert (CSRF on the OAuth callback).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.errors import ApplicationError
from marketplace.access import expert_required

from ..models import ConnectedCalendar
from ..services.connected_calendars import (
    connect_authorize_url,
    connected_calendar_connect_finish,
    connected_calendar_disconnect,
    provider_configured,
)

SESSION_KEY = "connected_calendar_state"


def _back() -> HttpResponse:
    return redirect(reverse("expert_availability") + "#connected-calendars")


def _redirect_uri(provider: str) -> str:
    path = reverse("connected_calendar_callback", kwargs={"provider": provider})
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _known(provider: str) -> str:
    if provider not in ConnectedCalendar.Provider.values:
        raise Http404
    return provider


@expert_required
@require_POST
def connected_calendar_connect(request: HttpRequest, provider: str) -> HttpResponse:
    provider = _known(provider)
    if not provider_configured(provider):
        messages.error(request, _("Connecting this calendar is not configured on this site."))
        return _back()
    state = secrets.token_urlsafe(24)
    request.session[SESSION_KEY] = {"state": state, "provider": provider}
    return redirect(connect_authorize_url(provider=provider, redirect_uri=_redirect_uri(provider), state=state))


@expert_required
@require_GET
def connected_calendar_callback(request: HttpRequest, provider: str) -> HttpResponse:
    provider = _known(provider)
    expected = request.session.pop(SESSION_KEY, None) or {}
    state = request.GET.get("state", "")
    if (
        expected.get("provider") != provider
        or not state
        or not secrets.compare_digest(str(expected.get("state", "")), state)
    ):
        messages.error(request, _("This calendar connection was not started here, or it expired. Start it again."))
        return _back()
    if request.GET.get("error") or not request.GET.get("code"):
        messages.error(request, _("The calendar was not connected: access was not granted."))
        return _back()
    try:
        connection = connected_calendar_connect_finish(
            expert=request.user,
            provider=provider,
            code=request.GET["code"][:2048],
            redirect_uri=_redirect_uri(provider),
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return _back()
    messages.success(
        request,
        _("%(provider)s (%(account)s) is connected: your sessions will appear in it.")
        % {"provider": connection.get_provider_display(), "account": connection.account_email},
    )
    return _back()


@expert_required
@require_POST
def connected_calendar_disconnect_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not connected_calendar_disconnect(expert=request.user, connection_id=pk):
        raise Http404
    messages.success(request, _("The calendar is disconnected. Sessions already in it stay there."))
    return _back()
