"""API benchmark: ``experts/`` with browse's filters at 10,000 experts, and ``bookings/`` of a learner with 500.

Run on demand (not part of pytest):

    .venv/bin/python benchmarks/api.py
    BENCH_EXPERTS=60 .venv/bin/python benchmarks/api.py     # the demo's experts only (no bulk seed)

It uses the browse benchmark's database (``BENCH_DATABASE_URL``, default
``taptime_bench_browse``) and its seeding (``benchmarks/browse.py``: the demo,
then bulk experts up to ``BENCH_EXPERTS``), then gives one learner
``BENCH_BOOKINGS`` bookings (completed ones in the past, ten confirmed ahead),
makes them a personal access token, and times each URL in-process through
Django's test client with that token: p50/p95 over ``BENCH_RUNS`` and the query
count. The issue's bars (p95 ≤ 30 ms for both lists) are for gunicorn over HTTP
with production settings; in-process figures leave out the network and the
server, so they are a lower bound.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import browse  # noqa: E402  (sets DATABASE_URL and the settings module first)

RUNS = int(os.environ.get("BENCH_RUNS", "200"))
BOOKINGS = int(os.environ.get("BENCH_BOOKINGS", "500"))
LEARNER_EMAIL = "bench.api.learner@taptime.example"
EXPERT_URLS = [
    "/api/v1/experts/",
    "/api/v1/experts/?category=data-and-ai&language=en&sort=price_asc",
    "/api/v1/experts/?price_min=30&price_max=150&sort=rating",
    "/api/v1/experts/?q=data&language=en&sort=rating",
    "/api/v1/experts/?available=7&sort=rating",
    "/api/v1/experts/?sort=price_asc&page_size=50",
]
BOOKING_URLS = ["/api/v1/bookings/", "/api/v1/bookings/?status=completed", "/api/v1/bookings/?page_size=50"]


def learner_with_bookings() -> str:
    """The bench learner with ``BOOKINGS`` bookings (made once), and a fresh token's secret."""
    from accounts.models import User
    from accounts.services import api_token_create
    from bookings.models import Booking
    from marketplace.models import SessionType

    learner, _created = User.objects.get_or_create(email=LEARNER_EMAIL, defaults={"full_name": "Bench Learner"})
    have = Booking.objects.filter(learner=learner).count()
    if have < BOOKINGS:
        types = list(SessionType.objects.filter(is_active=True).select_related("profile")[:50])
        start = datetime(2024, 1, 1, 9, tzinfo=UTC)
        rows = []
        for index in range(have, BOOKINGS):
            session_type = types[index % len(types)]
            ahead = index >= BOOKINGS - 10
            when = (
                datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=30 + index)
                if ahead
                else start + timedelta(hours=3 * index)
            )
            rows.append(
                Booking(
                    learner=learner,
                    expert_id=session_type.profile.user_id,
                    session_type=session_type,
                    start=when,
                    end=when + timedelta(minutes=session_type.duration_minutes),
                    status=Booking.Status.CONFIRMED if ahead else Booking.Status.COMPLETED,
                    amount_minor=session_type.price_minor,
                    currency=session_type.currency,
                )
            )
        Booking.objects.bulk_create(rows)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE bookings_booking")  # as after any bulk load: plans need the new counts
    learner.personal_api_tokens.all().delete()  # one token per run; the limit of active tokens stays far
    return api_token_create(user=learner, name="bench", scopes=["read"])[1]


def measure(urls: list[str], headers: dict[str, str]) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from api.throttling import ClientIPAnonRateThrottle, ClientIPUserRateThrottle

    # The timed loop is one client hammering one URL: the API's throttles would answer 429s.
    for throttle in (ClientIPAnonRateThrottle, ClientIPUserRateThrottle):
        throttle.THROTTLE_RATES = {"anon": "1000000/min", "user": "1000000/min"}
    client = Client(**headers)
    for url in urls:
        response = client.get(url)  # warm: caches, the token's last-used write
        assert response.status_code == 200, (url, response.status_code, response.content[:200])
        timings = []
        for _run in range(RUNS):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        results = len(response.json()["results"])
        p50, p95 = statistics.median(timings), statistics.quantiles(timings, n=20)[18]
        print(f"{url:<72} {p50:7.1f} {p95:7.1f} {len(captured.captured_queries):8d} {results:8d}")


def main() -> None:
    browse.ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    from marketplace.models import ExpertPage

    call_command("migrate", verbosity=0)
    if not ExpertPage.objects.exists():
        call_command("seed_demo", verbosity=0, allow_production=True)
    missing = browse.TARGET - ExpertPage.objects.count()
    if missing > 0:
        browse.bulk_experts(missing)
        from django.db import connection

        # As browse.py does after its bulk load: without fresh statistics PostgreSQL may plan the expert
        # list for the near-empty tables it last saw. The first 10,000-expert run of this script seeded
        # without it (34-76 ms p95); once analysed the list's query executes in 1.4 ms (EXPLAIN ANALYZE).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    browse.index_missing(ExpertPage)
    browse.search_documents_missing()
    secret = learner_with_bookings()
    print(f"experts: {ExpertPage.objects.live().count()}, learner bookings: {BOOKINGS}, runs per URL: {RUNS}")
    print(f"\n{'URL':<72} {'p50 ms':>7} {'p95 ms':>7} {'queries':>8} {'results':>8}")
    measure(EXPERT_URLS, {})
    measure(BOOKING_URLS, {"HTTP_AUTHORIZATION": f"Bearer {secret}"})


if __name__ == "__main__":
    main()
