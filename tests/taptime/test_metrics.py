"""/metrics: django-prometheus's latency by view plus the job gauges, never public."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_q.conf import Conf
from django_q.models import Failure

from core.models import OutboxMessage

TOKEN = "metrics-token-for-the-test-0123456789"


def _sample(body: str, name: str) -> float:
    (line,) = [line for line in body.splitlines() if line.startswith(name + " ") or line.startswith(name + "{")]
    return float(line.rsplit(" ", 1)[1])


@pytest.mark.django_db
def test_loopback_straight_to_the_process_gets_latency_by_view_and_the_job_gauges(client, settings):
    settings.METRICS_TOKEN = ""
    client.get("/healthz/")
    OutboxMessage.objects.create(app_label="core", handler="x.y", dedupe_key="failed-1", status="failed")
    OutboxMessage.objects.create(app_label="core", handler="x.y", dedupe_key="pending-1")
    OutboxMessage.objects.create(app_label="core", handler="x.y", dedupe_key="done-1", status="done")
    Failure.objects.create(
        id="a" * 32, name="job", func="x.y", started="2026-01-01T00:00Z", stopped="2026-01-01T00:00Z", success=False
    )
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    body = response.content.decode()
    assert 'django_http_requests_latency_seconds_by_view_method_bucket{le="0.1",method="GET",view="healthz"}' in body
    assert _sample(body, "taptime_jobs_failed") == 1
    assert _sample(body, 'taptime_outbox_messages{status="failed"}') == 1
    assert _sample(body, 'taptime_outbox_messages{status="pending"}') == 1
    assert _sample(body, "taptime_queue_depth") == 0
    assert _sample(body, 'taptime_metrics_source_up{source="broker"}') == 1


@pytest.mark.django_db
def test_the_scrape_costs_the_same_queries_however_many_jobs_there_are(client, settings):
    settings.METRICS_TOKEN = ""
    client.get("/metrics")
    with CaptureQueriesContext(connection) as few:
        client.get("/metrics")
    for n in range(20):
        OutboxMessage.objects.create(app_label="core", handler="x.y", dedupe_key=f"m-{n}", status="failed")
    with CaptureQueriesContext(connection) as many:
        client.get("/metrics")
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "extra",
    [{"REMOTE_ADDR": "203.0.113.9"}, {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}],
    ids=["from-outside", "through-the-load-balancer"],
)
def test_without_a_token_nothing_but_a_direct_loopback_request_gets_it(client, settings, extra):
    settings.METRICS_TOKEN = ""
    response = client.get("/metrics", **extra)
    assert response.status_code == 404
    assert b"taptime_" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer "])
def test_with_a_token_a_missing_or_wrong_one_is_refused_even_on_loopback(client, settings, header):
    settings.METRICS_TOKEN = TOKEN
    extra = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    response = client.get("/metrics", **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert b"taptime_" not in response.content


@pytest.mark.django_db
def test_with_the_token_it_answers_from_anywhere(client, settings):
    settings.METRICS_TOKEN = TOKEN
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert b"taptime_queue_depth" in response.content


@pytest.mark.django_db
def test_a_broker_that_is_down_is_reported_not_a_failed_scrape(client, settings, monkeypatch):
    settings.METRICS_TOKEN = ""
    monkeypatch.setattr(Conf, "ORM", None)
    monkeypatch.setattr(Conf, "REDIS", "redis://127.0.0.1:1/0")
    response = client.get("/metrics")
    assert response.status_code == 200
    body = response.content.decode()
    assert _sample(body, 'taptime_metrics_source_up{source="broker"}') == 0
    assert "taptime_queue_depth " not in body
    assert _sample(body, 'taptime_metrics_source_up{source="database"}') == 1


@pytest.mark.django_db
def test_multiprocess_mode_reads_the_shared_directory(client, settings, monkeypatch, tmp_path):
    # gunicorn workers write their samples into PROMETHEUS_MULTIPROC_DIR; the scrape reads the directory.
    settings.METRICS_TOKEN = ""
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    response = client.get("/metrics")
    assert response.status_code == 200
    body = response.content.decode()
    assert "taptime_jobs_failed" in body
    # This process was not started in multiprocess mode, so the directory holds none of its request samples.
    assert "django_http_requests_latency_seconds_by_view_method_bucket" not in body
