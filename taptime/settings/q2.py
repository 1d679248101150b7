"""django-q2: the ORM broker by default, Redis when REDIS_URL is set."""

from .env import env

_redis_url = env("REDIS_URL", default="")

Q_CLUSTER = {
    "name": "taptime",
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": 60,
    "retry": 120,  # must exceed timeout, or a slow task runs twice
    "max_attempts": 3,
    "queue_limit": 50,
    "bulk": 10,
    "catch_up": False,
    "label": "Background jobs",
}
if _redis_url:
    Q_CLUSTER["redis"] = _redis_url
else:
    Q_CLUSTER["orm"] = "default"
    Q_CLUSTER["poll"] = 1
