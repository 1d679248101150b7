"""The expert page before and after its expert has 5,000 published reviews: p50/p95 and queries.

Runs on a copy of the ``browse.py`` database migrated to this branch (the reviews tables), never on
the shared one:

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE taptime_bench_reviews TEMPLATE taptime_bench_browse"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/taptime_bench_reviews \\
        .venv/bin/python manage.py migrate --settings=taptime.settings.base
    .venv/bin/python benchmarks/expert_reviews.py [slug] [runs]

Gives the page of ``slug`` (default: the second expert page) 5,000 completed sessions with
published reviews (bulk inserts, the aggregate through the service; a second run finds them in
place), then requests in turn, ``runs`` rounds: another expert's page without reviews, the page
with 5,000 reviews (its reviews section from the cache, as most visitors get it), its page 300,
and the page with the section's cache dropped before each request (the first visitor after a
change). Interleaving puts a busy machine's noise on every URL alike; the ratio to the page
without reviews is the figure the issue's 10 % bar is about. Works on the demo database too
(``seed_demo``), with fewer experts around.
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


def interleaved(client, urls: dict[str, str], runs: int, before=None) -> None:
    """Each URL in turn, ``runs`` rounds, so load on a busy machine falls on all of them alike."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings: dict[str, list[float]] = {name: [] for name in urls}
    for _warm in range(3):
        for url in urls.values():
            assert client.get(url).status_code == 200
    for _run in range(runs):
        for name, url in urls.items():
            if before is not None:
                before(name)
            started = time.perf_counter()
            client.get(url)
            timings[name].append((time.perf_counter() - started) * 1000)
    base = None
    for name, url in urls.items():
        values = sorted(timings[name])
        p95 = values[max(0, int(len(values) * 0.95) - 1)]
        if before is not None:
            before(name)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        base = base or p95
        print(
            f"  {name:<34} p50 {statistics.median(values):6.1f} ms  p95 {p95:6.1f} ms  "
            f"{len(queries):>3} queries  p95 ×{p95 / base:.2f}"
        )


def main() -> None:
    import django

    django.setup()
    from django.test import Client

    from marketplace.models import ExpertPage
    from reviews.structured_data import expert_reviews_changed

    slug = sys.argv[1] if len(sys.argv) > 1 else None
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    pages = ExpertPage.objects.live().select_related("profile__user").order_by("pk")
    page = pages.get(slug=slug) if slug else pages[1]
    plain = pages.exclude(pk=page.pk).filter(profile__rating_count=0).first()
    client = Client()
    seed(page.profile)
    page.profile.refresh_from_db()
    print(f"{page.url}: {page.profile.rating_count} public reviews; {plain.url}: none; {runs} rounds, interleaved")

    def cold(name: str) -> None:
        if name.endswith("(cache miss)"):
            expert_reviews_changed(profile_id=page.profile.pk)

    print("The section from the cache (every visitor after the first):")
    interleaved(
        client,
        {"no reviews": plain.url, "5,000 reviews": page.url, "5,000 reviews, page 300": page.url + "?reviews=300"},
        runs,
    )
    print("The section rendered (the first visitor after a change):")
    interleaved(client, {"no reviews": plain.url, "5,000 reviews (cache miss)": page.url}, runs, before=cold)


if __name__ == "__main__":
    main()
