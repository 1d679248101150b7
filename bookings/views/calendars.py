"""/expert/calendars/: the calendars an expert imports busy times from, their health, add, remove, "sync now".

Every id is looked up among the signed-in expert's own calendars: anyone
else's is the 404 an unknown one gets. The address is never shown again after
saving, only its masked hint.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from marketplace.access import expert_required, own_profile

from ..calendar_forms import CalendarAddForm
from ..selectors.calendars import expert_calendars_of
from ..services.calendars import (
    CalendarError,
    expert_calendar_add,
    expert_calendar_remove,
    expert_calendar_sync_request,
)


@never_cache
@require_http_methods(["GET", "POST"])
@expert_required
def expert_calendars(request: HttpRequest) -> HttpResponse:
    """List the calendars with their health; a POST adds one (its first sync is queued at once)."""
    profile = own_profile(request)
    form = CalendarAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            expert_calendar_add(profile=profile, name=form.cleaned_data["name"], url=form.cleaned_data["url"])
        except CalendarError as refused:
            form.add_error("url" if refused.code == "bad_url" else None, refused.message)
        else:
            messages.success(request, _("Calendar added. Its busy times are read within a minute."))
            return redirect("expert_calendars")
    return render(
        request,
        "bookings/expert_calendars.html",
        {"form": form, "calendars": expert_calendars_of(profile=profile)},
        status=400 if form.errors else 200,
    )


@require_POST
@expert_required
def expert_calendar_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not expert_calendar_remove(profile=own_profile(request), calendar_id=pk):
        raise Http404
    messages.success(request, _("Calendar removed. Its busy times no longer block your slots."))
    return redirect("expert_calendars")


@require_POST
@expert_required
def expert_calendar_sync_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        if not expert_calendar_sync_request(profile=own_profile(request), calendar_id=pk):
            raise Http404
    except CalendarError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Sync started. Reload this page in a moment to see the result."))
    return redirect("expert_calendars")
