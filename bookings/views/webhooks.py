"""``POST /webhooks/zoom/``: Zoom's event notifications for the platform's Zoom app.

Order matters. The signature is checked first, on the raw body, before the JSON
is read and before the URL-validation challenge is answered: answering an
unsigned challenge would hand anyone an HMAC of any text under our secret, which
is exactly a valid signature for a body of their choosing. A request older (or
newer) than five minutes is refused too, so a captured delivery cannot be
replayed later; a repeat inside that window is stored once (``external_id``).

| Request | Answer |
|---|---|
| no ``VIDEO_ZOOM_WEBHOOK_SECRET`` configured | 404 |
| not POST | 405 |
| body over 256 KB | 413 |
| signature missing, wrong, or timestamp older/newer than 5 minutes | 401, nothing stored |
| signed, but not a JSON object with an ``event`` | 400 |
| ``endpoint.url_validation`` | 200 ``{"plainToken", "encryptedToken"}`` |
| participant joined / left, recording completed, for a booking's meeting | 200, stored once |
| the same for a meeting that is no booking's, or any other event | 200, ignored (logged) |
"""

from __future__ import annotations

import json
import logging
import time

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..services.provider_events import MalformedEvent, zoom_event_record
from ..video.zoom import zoom_url_validation, zoom_webhook_verify

logger = logging.getLogger("bookings.video")

MAX_BODY_BYTES = 256 * 1024


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@csrf_exempt
@require_POST
def zoom_webhook(request: HttpRequest) -> HttpResponse:
    secret = settings.VIDEO_ZOOM_WEBHOOK_SECRET
    if not secret:
        raise Http404
    if _content_length(request) > MAX_BODY_BYTES:
        return JsonResponse({"error": "too large"}, status=413)
    body = request.body
    if len(body) > MAX_BODY_BYTES:
        return JsonResponse({"error": "too large"}, status=413)
    if not zoom_webhook_verify(
        secret=secret,
        timestamp=request.headers.get("x-zm-request-timestamp", ""),
        signature=request.headers.get("x-zm-signature", ""),
        body=body,
        now=time.time(),
    ):
        logger.warning("Zoom webhook refused: bad or stale signature")
        return JsonResponse({"error": "invalid signature"}, status=401)
    try:
        event = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": "malformed JSON"}, status=400)
    if not isinstance(event, dict) or not isinstance(event.get("event"), str):
        return JsonResponse({"error": "not an event"}, status=400)
    if event["event"] == "endpoint.url_validation":
        payload = event.get("payload")
        plain = payload.get("plainToken") if isinstance(payload, dict) else None
        if not isinstance(plain, str) or not 0 < len(plain) <= 256:
            return JsonResponse({"error": "no plainToken"}, status=400)
        return JsonResponse(zoom_url_validation(secret=secret, plain_token=plain))
    try:
        zoom_event_record(event=event)
    except MalformedEvent as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"ok": True})
