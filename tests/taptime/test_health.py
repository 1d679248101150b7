"""/healthz/: the database, the cache and the broker, each reported on its own, no secrets."""

import logging

import pytest
from django.db import OperationalError
from django_q.conf import Conf

import taptime.health

SECRET = "s3cret-in-the-url"
# Nothing listens on port 1: a real connection refusal, as when Redis is down.
DEAD_REDIS = f"redis://:{SECRET}@127.0.0.1:1/0"


def _get(client):
    response = client.get("/healthz/", HTTP_X_REQUEST_ID="health-probe-1")
    assert response["Cache-Control"].startswith("max-age=0")
    return response


@pytest.mark.django_db
def test_all_three_answer(client):
    response = _get(client)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_a_database_that_does_not_answer_is_named_without_its_error(client, monkeypatch, caplog):
    def refuse():
        raise OperationalError(f"connection to server failed: password={SECRET}")

    monkeypatch.setattr(taptime.health.connection, "cursor", refuse)
    with caplog.at_level(logging.WARNING, logger="taptime.health"):
        response = _get(client)
    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "database": "unavailable", "cache": "ok", "broker": "ok"}
    assert SECRET not in response.content.decode()
    (record,) = [r for r in caplog.records if r.name == "taptime.health"]
    assert "database unavailable (OperationalError)" in record.getMessage()
    assert SECRET not in record.getMessage()
    assert record.request_id == "health-probe-1"


@pytest.mark.django_db
def test_a_cache_that_is_down_is_named(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": DEAD_REDIS}}
    response = _get(client)
    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unavailable", "broker": "ok"}
    assert SECRET not in response.content.decode()


@pytest.mark.django_db
def test_a_cache_that_drops_writes_is_named(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    response = _get(client)
    assert response.status_code == 503
    assert response.json()["cache"] == "unavailable"


@pytest.mark.django_db
def test_a_redis_broker_that_is_down_is_named(client, monkeypatch):
    monkeypatch.setattr(Conf, "ORM", None)
    monkeypatch.setattr(Conf, "REDIS", DEAD_REDIS)
    response = _get(client)
    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "ok", "broker": "unavailable"}
    assert SECRET not in response.content.decode()


@pytest.mark.django_db
def test_everything_down_names_everything(client, monkeypatch, settings):
    monkeypatch.setattr(taptime.health.connection, "cursor", lambda: (_ for _ in ()).throw(OperationalError("gone")))
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": DEAD_REDIS}}
    monkeypatch.setattr(Conf, "ORM", None)
    monkeypatch.setattr(Conf, "REDIS", DEAD_REDIS)
    body = _get(client).json()
    assert body == {"status": "degraded", "database": "unavailable", "cache": "unavailable", "broker": "unavailable"}


@pytest.mark.slow
@pytest.mark.django_db
def test_the_production_pair_of_redis_cache_and_redis_broker_answers(client, monkeypatch, settings):
    # The machine's Redis (.ci/run starts it), as production uses it: cache and broker.
    url = "redis://127.0.0.1:6379/15"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    monkeypatch.setattr(Conf, "ORM", None)
    monkeypatch.setattr(Conf, "REDIS", url)
    response = _get(client)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}
