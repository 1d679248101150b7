"""``Idempotency-Key`` on the POSTs that hold time or move money (Stripe's scheme).

The first request with a key is recorded before it runs and its answer stored
after; a retry with the same key and the same method, path and body gets that
answer again (``Idempotent-Replayed: true``) and changes nothing. The same key
with another body is refused with ``idempotency_key_reused`` (422); a retry
while the first is still running gets ``idempotency_in_progress`` (409). A
request that ended in a server error leaves no record, so it can be retried.
The header is optional: without it a POST runs as usual.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from .errors import PROBLEM_CONTENT_TYPE, problem
from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


def _request_hash(request: Request) -> str:
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), request.body):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def idempotent(handler):
    """Decorate a view's ``post``: the answer is stored under the caller's key and replayed for a retry."""

    @wraps(handler)
    def wrapped(view, request: Request, *args, **kwargs) -> Response:
        key = request.headers.get(HEADER)
        if key is None or not request.user.is_authenticated:
            return handler(view, request, *args, **kwargs)
        if not key.strip() or len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
            return problem(
                code="idempotency_key_invalid",
                status=400,
                detail=_("An Idempotency-Key is 1 to 255 printable ASCII characters."),
                request=request,
            )
        request_hash = _request_hash(request)
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(user=request.user, key=key, request_hash=request_hash)
        except IntegrityError:
            return _replay(request, key=key, request_hash=request_hash)
        try:
            try:
                response = handler(view, request, *args, **kwargs)
            except Exception as exc:
                response = view.handle_exception(exc)  # problem details for refusals; a bug re-raises
        except BaseException:
            # A bug (a 500): no answer to replay, so the key is free for a retry.
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            raise
        if response.status_code >= 500:
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            return response
        record.status = response.status_code
        record.response = response.data
        record.save(update_fields=["status", "response"])
        return response

    return wrapped


def _replay(request: Request, *, key: str, request_hash: str) -> Response:
    record = IdempotencyRecord.objects.filter(user=request.user, key=key).first()
    if record is None:  # pruned between the insert and this read: vanishingly rare, safe to retry
        return problem(
            code="idempotency_in_progress",
            status=409,
            detail=_("A request with this Idempotency-Key is still running. Please retry in a moment."),
            request=request,
        )
    if record.request_hash != request_hash:
        return problem(
            code="idempotency_key_reused",
            status=422,
            detail=_("This Idempotency-Key was used with another request. Use a new key for a new request."),
            request=request,
        )
    if record.status == 0:
        return problem(
            code="idempotency_in_progress",
            status=409,
            detail=_("A request with this Idempotency-Key is still running. Please retry in a moment."),
            request=request,
        )
    content_type = PROBLEM_CONTENT_TYPE if record.status >= 400 else None
    response = Response(record.response, status=record.status, content_type=content_type)
    response["Idempotent-Replayed"] = "true"
    return response


def idempotency_records_prune(*, now=None) -> int:
    """Forget keys older than ``IDEMPOTENCY_KEY_HOURS`` (Stripe keeps them at least 24 hours)."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)
    deleted, _counts = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
