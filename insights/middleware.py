"""Our own funnel events for browsers that accepted analytics (``taptime_analytics=granted``, set by
static/js/consent.js from the consent banner's choice). No third-party script, nothing for anyone else.

Outermost of the project's middleware (before the anonymous page cache), so pages served from the
cache are counted too. An expert page marks its response with a header while it renders
(``process_template_response``); the header is cached with the page and taken off again here, so it
never leaves the server. The hold and paid steps are the pages the learner sees after holding and
after paying. Only GET answers of 200 count; the admin, the API, static and media files never do.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from core.http import client_ip
from marketplace.models import ExpertPage

from .funnel import funnel_record
from .models import FunnelEvent

CONSENT_COOKIE = "taptime_analytics"
STEP_HEADER = "X-TapTime-Funnel-Step"
URL_STEPS = {"booking_review": FunnelEvent.Step.HOLD, "booking_paid": FunnelEvent.Step.PAID}
SKIPPED_PREFIXES = ("/admin/", "/django-admin/", "/api/", "/static/", "/media/", "/documents/")


class FunnelMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        step = response.get(STEP_HEADER)
        if step is not None:
            del response[STEP_HEADER]
        if (
            request.method == "GET"
            and response.status_code == 200
            and request.COOKIES.get(CONSENT_COOKIE) == "granted"
            and not request.path.startswith(SKIPPED_PREFIXES)
            and response.get("Content-Type", "").startswith("text/html")
        ):
            match = getattr(request, "resolver_match", None)
            step = URL_STEPS.get(match.url_name if match else "", step) or FunnelEvent.Step.VISIT
            funnel_record(
                step=step,
                address=client_ip(request),
                user_agent=request.headers.get("User-Agent", ""),
                day=timezone.now().astimezone(dt.UTC).date(),
            )
        return response

    def process_template_response(self, request, response):
        page = (getattr(response, "context_data", None) or {}).get("page")
        if isinstance(page, ExpertPage):
            response[STEP_HEADER] = str(FunnelEvent.Step.EXPERT_PAGE.value)
        return response
