"""Logs, metrics and the read replica: what operations read and tune (docs/operations.md).

- ``LOG_FORMAT``: ``plain`` (default; production ``json``) — JSON lines through
  python-json-logger, each with the request id (``core.request_id``).
- ``METRICS_TOKEN``: the bearer token ``/metrics`` wants; without it only a request made
  straight to a web process from loopback is answered (``taptime.metrics``).
- ``DATABASE_REPLICA_URL``: a read replica; selectors marked ``@replica_reads`` read from it
  outside transactions (``core.db_router``).
"""

from .env import env

LOG_FORMAT = env("LOG_FORMAT", default="plain")
# The fields of every JSON log line (python-json-logger adds any ``extra=`` given to a call).
LOG_JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(process)d"
LOG_JSON_FORMATTER = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": LOG_JSON_FIELDS,
    "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
}

METRICS_TOKEN = env("METRICS_TOKEN", default="")
# django-prometheus: latency buckets for pages (seconds); the default ones stop short of our slow tail.
PROMETHEUS_LATENCY_BUCKETS = (
    0.01,
    0.025,
    0.05,
    0.075,
    0.1,
    0.15,
    0.2,
    0.3,
    0.5,
    0.75,
    1.0,
    2.5,
    5.0,
    10.0,
    float("inf"),
)

DATABASE_REPLICA_ALIAS = "replica"
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", default="")
# Which alias the router sends replica reads to; empty: every read goes to "default".
DATABASE_READ_REPLICA = DATABASE_REPLICA_ALIAS if DATABASE_REPLICA_URL else ""
DATABASE_ROUTERS = ["core.db_router.ReplicaRouter"]
