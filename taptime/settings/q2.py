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

# The outbox (core.outbox): work that must survive a worker crash.
# A claimed message is run again after this long if its worker died (must exceed the q2 timeout).
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=300)
# A failing message is retried with back-off this many times, then marked failed for staff.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=10)
OUTBOX_BATCH_SIZE = 50
# Delivered messages (and so their dedupe keys) are kept this long.
OUTBOX_KEEP_DAYS = env.int("OUTBOX_KEEP_DAYS", default=30)
# Queue a drain on commit of every enqueue; off only in the crash test, which drains by hand.
OUTBOX_NUDGE = True
