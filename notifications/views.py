"""Dismissing an announcement: a small form POST from the dashboard (no JavaScript)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .announcements import announcement_dismiss

MAX_ID = 2**31 - 1


@login_required
@require_POST
def announcement_dismiss_view(request: HttpRequest, pk: int) -> HttpResponse:
    if pk > MAX_ID or not announcement_dismiss(user=request.user, announcement_id=pk):
        raise Http404
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = request.user.home_url if hasattr(request.user, "home_url") else "/"
    return redirect(target)
