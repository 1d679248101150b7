"""Prometheus metrics at ``/metrics``: django-prometheus's request metrics plus the job queues.

django-prometheus's middleware records request counts and latency by view
(``django_http_requests_latency_seconds_by_view_method``); with
``PROMETHEUS_MULTIPROC_DIR`` set (the stack and the image set it) every gunicorn
worker writes its samples there and a scrape of any worker sums them all.

``JobsCollector`` reads the job state at scrape time, so the figures are the same
whichever web process answers:

- ``taptime_queue_depth`` — tasks waiting in the django-q2 broker (Redis list or ORM queue);
- ``taptime_jobs_failed`` — django-q2 tasks that ended in failure and are still kept;
- ``taptime_outbox_messages{status}`` — outbox messages pending (due or not) and failed
  for good (``OUTBOX_MAX_ATTEMPTS`` spent);
- ``taptime_metrics_source_up{source}`` — 0 when the broker or database could not be read.

The endpoint is not public: with ``METRICS_TOKEN`` set it wants
``Authorization: Bearer <token>`` (401 otherwise); without one it answers only a request
made straight to the web process from loopback (no ``X-Forwarded-For``, so nothing that
came through the load balancer), and 404 to anything else.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django_q.brokers import get_broker
from django_q.models import Failure
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

from core.models import OutboxMessage

logger = logging.getLogger(__name__)


class JobsCollector(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        up = GaugeMetricFamily(
            "taptime_metrics_source_up", "1 when the source of the job metrics could be read", labels=["source"]
        )
        try:
            depth = get_broker().queue_size()
        except Exception as error:  # noqa: BLE001 - a scrape must not fail because the broker is down
            logger.warning("Metrics: the broker could not be read (%s)", type(error).__name__)
            up.add_metric(["broker"], 0)
        else:
            up.add_metric(["broker"], 1)
            yield GaugeMetricFamily("taptime_queue_depth", "Tasks waiting in the django-q2 broker", value=depth or 0)
        try:
            failed_jobs = Failure.objects.count()
            outbox = OutboxMessage.objects.aggregate(
                pending=Count("id", filter=Q(status=OutboxMessage.Status.PENDING)),
                failed=Count("id", filter=Q(status=OutboxMessage.Status.FAILED)),
            )
        except Exception as error:  # noqa: BLE001
            logger.warning("Metrics: the job tables could not be read (%s)", type(error).__name__)
            up.add_metric(["database"], 0)
        else:
            up.add_metric(["database"], 1)
            yield GaugeMetricFamily("taptime_jobs_failed", "django-q2 tasks that failed (kept)", value=failed_jobs)
            messages = GaugeMetricFamily("taptime_outbox_messages", "Outbox messages by status", labels=["status"])
            for status, count in outbox.items():
                messages.add_metric([status], count)
            yield messages
        yield up


_jobs_registry = CollectorRegistry(auto_describe=False)
_jobs_registry.register(JobsCollector())


def _process_registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


def _is_internal(request: HttpRequest) -> bool:
    if "HTTP_X_FORWARDED_FOR" in request.META:
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    token = settings.METRICS_TOKEN
    if token:
        given = request.META.get("HTTP_AUTHORIZATION", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            response = HttpResponse("Unauthorized\n", status=401, content_type="text/plain")
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return response
    elif not _is_internal(request):
        return HttpResponse("Not found\n", status=404, content_type="text/plain")
    body = generate_latest(_process_registry()) + generate_latest(_jobs_registry)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
