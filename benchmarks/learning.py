"""Learning benchmark: recommendations among 10,000 experts, and the progress page at 500 sessions.

Run on demand (not part of pytest):

    .venv/bin/python benchmarks/learning.py
    BENCH_TEMPLATE_DB=test_mybranch .venv/bin/python benchmarks/learning.py   # copy a migrated DB

It creates (or reuses) its own PostgreSQL database (``taptime_bench_learning``; from a migrated
template database when ``BENCH_TEMPLATE_DB`` names one, which skips a long migrate on a busy
machine), runs the demo seed, bulk-adds experts up to 10,000 with ``benchmarks.browse``'s bulk
path, gives every expert page its vector (each distinct profile text is encoded once with the real
model; bulk pages share a few headline templates), and gives a bench learner 500 completed
sessions. Then it times, in-process:

* ``expert_recommendations`` for the demo learner (two goals, interests, budget, evening and
  weekend times): p50/p95 with a warm vector matrix, its query count, and the cold first call
  (matrix load) once;
* ``/dashboard/progress/`` for the bench learner through Django's test client: p50/p95 and queries;
* precision at 5 on the labelled set is the test ``tests/learning/test_recommendation_quality.py``
  (run it with ``-s`` to print the figures).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/taptime_bench_learning")
DATABASE_URL = os.environ["BENCH_DATABASE_URL"]
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taptime.settings.base")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("LOG_LEVEL", "WARNING")

TARGET = int(os.environ.get("BENCH_EXPERTS", "10000"))
RUNS = int(os.environ.get("BENCH_RUNS", "200"))
SESSIONS = 500
BENCH_LEARNER = "bench-learner@example.com"


def ensure_database() -> None:
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    template = os.environ.get("BENCH_TEMPLATE_DB", "")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        print(f"created database {name}" + (f" from {template}" if template else ""))


def timed(func, runs: int) -> tuple[float, float]:
    timings = []
    for _run in range(runs):
        started = time.perf_counter()
        func()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), statistics.quantiles(timings, n=20)[18]


def embed_all() -> None:
    from learning.embedding_services import MODEL_NAME, expert_embedding_text
    from learning.embeddings import encoder
    from learning.models import ExpertEmbedding
    from marketplace.models import ExpertPage

    pages = (
        ExpertPage.objects.live()
        .exclude(pk__in=ExpertEmbedding.objects.values("page_id"))
        .prefetch_related("categories", "skills")
    )
    cache: dict[str, bytes] = {}
    rows = []
    started = time.perf_counter()
    for page in pages.iterator(chunk_size=500):
        text = expert_embedding_text(page)
        if text not in cache:
            cache[text] = encoder().encode([text])[0].tobytes()
        rows.append(
            ExpertEmbedding(
                page_id=page.pk, profile_id=page.profile_id, model=MODEL_NAME, digest="bench", vector=cache[text]
            )
        )
    ExpertEmbedding.objects.bulk_create(rows, batch_size=1000)
    if rows:
        print(f"embedded {len(rows)} pages ({len(cache)} distinct texts) in {time.perf_counter() - started:.1f}s")


def bench_learner():
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import User
    from bookings.models import Booking
    from demo.marketplace import DEMO_EXPERT_EMAIL
    from learning.models import LearnerProfile

    learner, _created = User.objects.get_or_create(email=BENCH_LEARNER, defaults={"full_name": "Bench Learner"})
    LearnerProfile.objects.get_or_create(user=learner, defaults={"onboarding_finished_at": timezone.now()})
    expert = User.objects.get(email=DEMO_EXPERT_EMAIL)
    missing = SESSIONS - Booking.objects.filter(learner=learner).count()
    now = timezone.now().replace(microsecond=0, second=0, minute=0)
    Booking.objects.bulk_create(
        [
            Booking(
                learner=learner,
                expert=expert,
                start=now - timedelta(days=index + 1, hours=index % 5),
                end=now - timedelta(days=index + 1, hours=index % 5) + timedelta(minutes=60),
                status=Booking.Status.COMPLETED,
                amount_minor=8000,
                currency="EUR",
            )
            for index in range(max(missing, 0))
        ]
    )
    return learner


def main() -> None:
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from benchmarks.browse import bulk_experts
    from demo.bookings import DEMO_LEARNER_EMAIL
    from learning.models import LearnerProfile
    from learning.recommendations import _matrix_cache, expert_recommendations
    from marketplace.models import ExpertPage

    call_command("migrate", verbosity=0)
    if not ExpertPage.objects.exists():
        call_command("seed_demo", verbosity=0, allow_production=True)
    missing = TARGET - ExpertPage.objects.count()
    if missing > 0:
        started = time.perf_counter()
        bulk_experts(missing)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"bulk-added {missing} experts in {time.perf_counter() - started:.1f}s")
    embed_all()

    learner = User.objects.get(email=DEMO_LEARNER_EMAIL)
    profile = LearnerProfile.objects.get(user=learner)
    print(f"experts: {ExpertPage.objects.live().count()}, runs: {RUNS}")
    _matrix_cache.clear()
    started = time.perf_counter()
    ranked = expert_recommendations(user=learner, profile=profile)
    print(f"recommendations, cold (loads the vector matrix): {(time.perf_counter() - started) * 1000:.0f} ms")
    for item in ranked:
        print(f"  {item.page.title}: {item.score} — {'; '.join(item.reasons)}")
    p50, p95 = timed(lambda: expert_recommendations(user=learner, profile=profile), RUNS)
    with CaptureQueriesContext(connection) as captured:
        expert_recommendations(user=learner, profile=profile)
    print(f"recommendations, warm: p50 {p50:.1f} ms, p95 {p95:.1f} ms, {len(captured.captured_queries)} queries")

    client = Client()
    client.force_login(bench_learner())
    assert client.get("/dashboard/progress/").status_code == 200
    p50, p95 = timed(lambda: client.get("/dashboard/progress/"), RUNS)
    with CaptureQueriesContext(connection) as captured:
        client.get("/dashboard/progress/")
    print(
        f"/dashboard/progress/ ({SESSIONS} sessions): p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
        f"{len(captured.captured_queries)} queries"
    )


if __name__ == "__main__":
    main()
