"""The private calendar feed (``/calendar/<token>.ics``, no sign-in) and its buttons on the settings page.

The feed answers 404 for a malformed, unknown or revoked token alike, so an
answer never tells a guess it came close. Calendar apps poll it: a poll that
sends back the ETag it got costs one token lookup and one aggregate query and
gets "304 Not Modified"; each address may poll ``CALENDAR_FEED_POLLS_PER_HOUR``
times an hour.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.ratelimit import rate_limit_hit

from ..selectors.calendar_feed import calendar_feed_by_token, calendar_feed_ics, calendar_feed_version, token_hash
from ..services.calendar_feed import calendar_feed_regenerate, calendar_feed_revoke


def _etag_matches(request: HttpRequest, etag: str) -> bool:
    sent = request.headers.get("If-None-Match", "")
    return any(part.strip().removeprefix("W/") == etag for part in sent.split(",")) if sent else False


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    # Counted per address before the lookup: an address polled too often is refused without a query.
    if rate_limit_hit(
        scope="calendar-feed",
        key=token_hash(token)[:32],
        limit=settings.CALENDAR_FEED_POLLS_PER_HOUR,
        window_seconds=3600,
    ):
        response = HttpResponse(_("Too many requests for this calendar address: try again later."), status=429)
        response["Retry-After"] = "3600"
        return response
    feed = calendar_feed_by_token(token=token)
    if feed is None:
        raise Http404
    now = timezone.now()
    etag = f'"{calendar_feed_version(feed=feed, now=now)}"'
    if _etag_matches(request, etag):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(calendar_feed_ics(feed=feed, now=now), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="taptime.ics"'
    response["ETag"] = etag
    # Private: the address is a secret, so no shared cache may keep a copy; a subscriber may reuse
    # its copy until the next poll.
    patch_cache_control(response, private=True, max_age=settings.CALENDAR_FEED_REFRESH_MINUTES * 60)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _to_section() -> HttpResponse:
    return redirect(reverse("account_settings") + "#calendar-feed")


@login_required
@require_POST
def calendar_feed_regenerate_view(request: HttpRequest) -> HttpResponse:
    had_one = hasattr(request.user, "calendar_feed")
    calendar_feed_regenerate(user=request.user, now=timezone.now())
    if had_one:
        messages.success(request, _("Your calendar address is new. Calendars subscribed to the old one stop updating."))
    else:
        messages.success(request, _("Your calendar address is ready: add it to your calendar app."))
    return _to_section()


@login_required
@require_POST
def calendar_feed_revoke_view(request: HttpRequest) -> HttpResponse:
    if calendar_feed_revoke(user=request.user):
        messages.success(request, _("Your calendar address is switched off. Calendars subscribed to it stop updating."))
    else:
        messages.info(request, _("You have no calendar address to switch off."))
    return _to_section()
