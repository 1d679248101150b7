"""The expert page's free times as an HTML fragment, so that the page itself can be cached.

``GET /experts/book/<page_id>/times/`` with ``X-Requested-With: fetch`` (static/js/slot-picker.js)
answers the picker's HTML for ``session``, ``tz``, ``week`` and ``browser_tz``, in the page's
language. The rendered HTML is kept in the cache for ``SLOT_FRAGMENT_CACHE_SECONDS`` under the
expert's fragment version (bookings.selectors.slot_fragments: any hold, booking, hours, days off,
calendar or session-type change retires it), the resolved choice and the language; a choice with a
notice (a wrong value) is never kept. The booking forms inside need the visitor's own CSRF token:
the cached HTML holds a marker that each answer replaces with ``get_token(request)``, so the
answer is ``private, no-store`` and the shared copy never holds a token.
Opened any other way (a link, a crawler) it redirects to the page with the picker inline.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils import translation
from django.views.decorators.http import require_GET

from marketplace.models import ExpertPage

from ..selectors.slot_fragments import slot_fragment_version
from ..templatetags.booking_tags import PICKER_PARAMS, slot_picker_choice, slot_picker_context

TEMPLATE = "bookings/includes/slot_picker.html"
_TOKEN_MARKER = "__slot-picker-csrf-token__"  # noqa: S105 - a placeholder, replaced per answer


@require_GET
def slot_fragment(request: HttpRequest, page_id: int) -> HttpResponse:
    page = get_object_or_404(ExpertPage.objects.live().public().select_related("locale", "profile"), pk=page_id)
    if request.headers.get("X-Requested-With") != "fetch":
        query = urlencode({name: request.GET[name][:64] for name in PICKER_PARAMS if name in request.GET})
        return redirect(f"{page.url}?{query or 'week=0'}#times")
    language = page.locale.language_code
    with translation.override(language):
        profile = page.profile
        session_types = page.offerings.session_types
        html = ""
        if session_types:
            choice = slot_picker_choice(request, profile, session_types)
            key = None
            if not choice.notices:
                version = slot_fragment_version(expert_id=profile.user_id)
                key = ":".join(
                    (
                        "slots:f",
                        str(page.pk),
                        version,
                        str(choice.session_type.pk),
                        str(choice.session_type.duration_minutes),
                        choice.viewer_zone,
                        str(choice.week),
                        language,
                    )
                )
                html = cache.get(key) or ""
            if not html:
                context = slot_picker_context(
                    request,
                    page=page,
                    profile=profile,
                    session_types=session_types,
                    choice=choice,
                    csrf_token=_TOKEN_MARKER,
                )
                context["fragment"] = True
                html = render_to_string(TEMPLATE, context)
                if key:
                    cache.set(key, html, settings.SLOT_FRAGMENT_CACHE_SECONDS)
    if _TOKEN_MARKER in html:
        html = html.replace(_TOKEN_MARKER, get_token(request))
    response = HttpResponse(html)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
