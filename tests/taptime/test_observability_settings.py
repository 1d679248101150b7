"""Production logs JSON lines by default; a replica URL adds the alias the router uses."""

import json

import pytest

from .test_settings import PRODUCTION_ENV, run_manage

pytestmark = pytest.mark.slow

SHOW = (
    "from django.conf import settings; import json; print(json.dumps({"
    "'formatter': settings.LOGGING['handlers']['console']['formatter'],"
    "'replica': settings.DATABASE_READ_REPLICA,"
    "'aliases': sorted(settings.DATABASES),"
    "'replica_name': settings.DATABASES.get('replica', {}).get('NAME'),"
    "'replica_health': settings.DATABASES.get('replica', {}).get('CONN_HEALTH_CHECKS'),"
    "'routers': settings.DATABASE_ROUTERS}))"
)


def _settings(**env):
    result = run_manage("shell", "-c", SHOW, env={**PRODUCTION_ENV, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_writes_json_lines_and_has_no_replica_unless_told():
    shown = _settings()
    assert shown["formatter"] == "json"
    assert shown["replica"] == "" and shown["aliases"] == ["default"]
    assert shown["routers"] == ["core.db_router.ReplicaRouter"]


def test_plain_lines_on_request_and_a_replica_from_the_environment():
    shown = _settings(LOG_FORMAT="plain", DATABASE_REPLICA_URL="postgres://reader@127.0.0.1:5432/taptime_replica")
    assert shown["formatter"] == "plain"
    assert shown["replica"] == "replica" and shown["aliases"] == ["default", "replica"]
    assert shown["replica_name"] == "taptime_replica" and shown["replica_health"] is True
