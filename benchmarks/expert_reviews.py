"""The expert page before and after its expert has 5,000 published reviews: p50/p95 and queries.

Runs on a copy of the ``browse.py`` database migrated to this branch (the reviews tables), never on
the shared one:

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE taptime_bench_reviews TEMPLATE taptime_bench_browse"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/taptime_bench_reviews \\
        .venv/bin/python manage.py migrate --settings=taptime.settings.base
    .venv/bin/python benchmarks/expert_reviews.py [slug] [runs]

Measures the page of ``slug`` (default: the second expert page) as it is, then gives that expert
5,000 completed sessions with published reviews (bulk inserts, the aggregate through the service),
analyses, and measures again. A second run finds the reviews in place and measures twice.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/taptime_bench_reviews"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taptime.settings.base")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("LOG_LEVEL", "WARNING")

REVIEWS = 5_000
LEARNERS = 50


def measure(client, url: str, runs: int) -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _warm in range(5):
        assert client.get(url).status_code == 200
    timings = []
    for _run in range(runs):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    return f"p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, {len(queries)} queries"


def seed(profile) -> None:
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from bookings.models import Booking
    from reviews.models import SessionReview
    from reviews.services import rating_aggregate_refresh

    missing = REVIEWS - SessionReview.objects.public().filter(profile=profile).count()
    if missing <= 0:
        return
    learners = [
        User.objects.get_or_create(
            email=f"bench-reviewer-{n}@example.com", defaults={"full_name": f"Bench{n} Reviewer"}
        )[0]
        for n in range(LEARNERS)
    ]
    now = timezone.now()
    bookings = Booking.objects.bulk_create(
        Booking(
            learner=learners[n % LEARNERS],
            expert=profile.user,
            start=now - timedelta(days=400, hours=2 * n),
            end=now - timedelta(days=400, hours=2 * n - 1),
            status=Booking.Status.COMPLETED,
            amount_minor=8000,
            currency="EUR",
        )
        for n in range(missing)
    )
    SessionReview.objects.bulk_create(
        SessionReview(
            booking=booking,
            learner_id=booking.learner_id,
            profile=profile,
            session_minutes=60,
            rating=1 + (n * 7) % 5,
            text=f"Benchmark review {n}: clear, patient and well prepared.",
            publish_after=now,
            published_at=now - timedelta(minutes=n),
        )
        for n, booking in enumerate(bookings)
    )
    rating_aggregate_refresh(profile_id=profile.pk)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reviews_sessionreview")
        cursor.execute("ANALYZE bookings_booking")


def main() -> None:
    import django

    django.setup()
    from django.test import Client

    from marketplace.models import ExpertPage

    slug = sys.argv[1] if len(sys.argv) > 1 else None
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    pages = ExpertPage.objects.live().select_related("profile__user").order_by("pk")
    page = pages.get(slug=slug) if slug else pages[1]
    url = page.url
    client = Client()
    print(f"{url} with {page.profile.rating_count} public reviews: {measure(client, url, runs)}")
    seed(page.profile)
    page.profile.refresh_from_db()
    print(f"{url} with {page.profile.rating_count} public reviews: {measure(client, url, runs)}")
    print(f"{url}?reviews=300: {measure(client, url + '?reviews=300', runs)}")


if __name__ == "__main__":
    main()
