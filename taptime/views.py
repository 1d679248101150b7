"""Project-wide views: error pages and the health check (Stripe's webhook entry is billing's)."""

import sys

from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from core.outage import database_unavailable_response, is_database_unreachable

from .health import OK, health_report


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else None
    # A refusal may say where to go instead: (site path, label), e.g. how to join as an expert.
    next_path, next_label = getattr(exception, "next_step", (None, None))
    return render(
        request, "403.html", {"message": message, "next_path": next_path, "next_label": next_label}, status=403
    )


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", {"request_path": request.path}, status=404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this while handling the exception, so it is still at hand.
    error = sys.exc_info()[1]
    if is_database_unreachable(error):
        # The database is down or restarting: "back in a moment", 503 with Retry-After, logged once.
        return database_unavailable_response(error)
    # Rendered without a request context: no context processor, and so no
    # database query, may run while the site is failing.
    return HttpResponseServerError(loader.get_template("500.html").render())


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database, the cache and the broker all answer; 503 naming the ones that did not."""
    report = health_report()
    healthy = all(value == OK for value in report.values())
    return JsonResponse({"status": "ok" if healthy else "degraded", **report}, status=200 if healthy else 503)
