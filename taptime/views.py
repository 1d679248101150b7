"""Project-wide views: error pages and the health check (Stripe's webhook entry is billing's)."""

import sys

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from core.outage import database_unavailable_response, is_database_unreachable


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
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return JsonResponse({"status": "ok" if status == 200 else "degraded", "database": database}, status=status)
