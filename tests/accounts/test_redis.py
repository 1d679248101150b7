"""Where production uses Redis, the tests use the real thing on 127.0.0.1:6379."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import override_settings

from tests.factories import PASSWORD

pytestmark = pytest.mark.slow

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def redis_cache(settings):
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    config = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=config):
        caches["default"].clear()
        yield caches["default"]
        caches["default"].clear()


@pytest.mark.django_db
def test_login_throttle_holds_across_processes_sharing_redis(client, learner, redis_cache):
    for _ in range(5):
        client.post("/accounts/login/", {"login": learner.email, "password": "wrong-password"})
    # A fresh client (another browser, another web process) sees the same counter.
    from django.test import Client

    other = Client()
    response = other.post("/accounts/login/", {"login": learner.email, "password": PASSWORD})
    assert b"Too many failed login attempts" in response.content
    assert any(key for key in redis_cache._cache.get_client().keys("*"))


def test_redis_url_switches_the_cache_and_the_job_broker():
    code = (
        "from django.conf import settings as s;"
        "print(s.CACHES['default']['BACKEND']);print(s.Q_CLUSTER.get('redis'));print('orm' in s.Q_CLUSTER)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "taptime.settings.dev", "REDIS_URL": REDIS_URL}
    out = subprocess.run(
        [sys.executable, "-c", f"import django;django.setup();{code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["django.core.cache.backends.redis.RedisCache", REDIS_URL, "False"]
    env.pop("REDIS_URL")
    env["REDIS_URL"] = ""
    out = subprocess.run(
        [sys.executable, "-c", f"import django;django.setup();{code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["django.core.cache.backends.locmem.LocMemCache", "None", "True"]
