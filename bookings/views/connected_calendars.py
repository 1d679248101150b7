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
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError
from core.ratelimit import rate_limit_hit
from marketplace.access import expert_required

from ..models import ConnectedCalendar
from ..services.connected_calendars import (
    connect_authorize_url,
    connected_calendar_choices,
    connected_calendar_choose,
    connected_calendar_connect_finish,
    connected_calendar_disconnect,
    provider_configured,
)

SESSION_KEY = "connected_calendar_state"


def _back() -> HttpResponse:
    return redirect(reverse("expert_calendars") + "#connected-calendars")


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
        # As bytes: compare_digest refuses str with non-ASCII characters (a crafted state would be a 500).
        or not secrets.compare_digest(str(expected.get("state", "")).encode(), state.encode("utf-8", "replace"))
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


# Each look at the chooser asks the provider for the account's calendars: a few a minute are plenty.
CHOOSE_PER_MINUTE = 10


@never_cache
@expert_required
@require_http_methods(["GET", "POST"])
def connected_calendar_choose_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Which of the account's calendars new sessions are written to (listed by the provider now)."""
    if rate_limit_hit(scope="calendar-choose", key=str(request.user.pk), limit=CHOOSE_PER_MINUTE, window_seconds=60):
        messages.error(request, _("Too many tries in a short time. Please wait a minute."))
        return _back()
    if request.method == "POST":
        try:
            connection = connected_calendar_choose(
                expert=request.user, connection_id=pk, calendar_id=request.POST.get("calendar", "")[:255]
            )
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("connected_calendar_choose", pk=pk)
        if connection is None:
            raise Http404
        messages.success(
            request, _("New sessions will be added to the calendar you chose; earlier ones stay where they are.")
        )
        return _back()
    try:
        found = connected_calendar_choices(expert=request.user, connection_id=pk)
    except ApplicationError as error:
        messages.error(request, error.message)
        return _back()
    if found is None:
        raise Http404
    connection, choices = found
    current = connection.calendar_id or next((choice.id for choice in choices if choice.primary), "")
    return render(
        request,
        "bookings/connected_calendar_choose.html",
        {"connection": connection, "choices": choices, "current": current},
    )
