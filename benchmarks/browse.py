"""Browse benchmark: 10,000 experts in PostgreSQL, filtered + sorted first page.

Run on demand (not part of pytest):

    .venv/bin/python benchmarks/browse.py            # seeds once, then measures
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/other .venv/bin/python benchmarks/browse.py

It creates (or reuses) its own database, migrates it, runs the normal demo
seed (site, categories, 60 experts), then bulk-adds experts up to 10,000 and
times the real page (Wagtail routing + ExpertIndexPage + template) through
Django's test Client. Prints p50/p95 latency and the query count per URL.

The bulk path writes the same rows the services write (page tree rows with
correct paths, profiles with denormalised price and rating, session types,
category and language links); it skips revisions, then adds the bulk pages
to the search index in batches and builds their browse search documents, so
the keyword URLs search all 10,000 experts ("benchmark" is in every bulk
headline: the worst case, every page matches).
The last line times one expert page (routing, view restrictions, offerings).

Next free times: bulk experts get weekday hours (9–17 in their zone) for 70%
of them, 30% of those with ten days' minimum notice, and then every expert's
``next_available_at`` is computed by the real batch service, timed (the figure
tells how many experts the 15-minute schedule can refresh per run).
"""

from __future__ import annotations

import os
import random
import re
import statistics
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/taptime_bench_browse")
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taptime.settings.base")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# Rendered pages are what this measures: the anonymous page cache would answer every timed request.
os.environ.setdefault("PAGE_CACHE_SECONDS", "0")

TARGET = int(os.environ.get("BENCH_EXPERTS", "10000"))
RUNS = int(os.environ.get("BENCH_RUNS", "200"))
URLS = [
    "/experts/?category=data-and-ai&language=en&rating=4&sort=price_asc",
    "/experts/?price_min=30&price_max=150&sort=rating",
    "/experts/?language=es&sort=sessions",
    "/experts/software-development/?sort=price_desc",
    "/experts/",
    "/experts/?q=data&language=en&sort=rating",
    "/experts/?q=data+science",
    "/experts/?q=benchmark",
    "/experts/?available=7&sort=rating&tz=Europe/Berlin",
    "/experts/?category=data-and-ai&available=3&sort=price_asc",
]


def ensure_database() -> None:
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def bulk_experts(count: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from wagtail.models import Locale, Page

    from accounts.models import User
    from core.money import Money
    from demo.marketplace import DEMO_EPOCH
    from demo.marketplace_content import PLACES
    from marketplace.models import Category, ExpertIndexPage, ExpertPage, ExpertProfile, Language, SessionType

    unusable = make_password(None)
    rng = random.Random(10_000)
    index_page = ExpertIndexPage.objects.get()
    subcategories = list(Category.objects.filter(parent__isnull=False))
    languages = {language.code: language for language in Language.objects.all()}
    photos = list(ExpertPage.objects.exclude(photo=None).values_list("photo_id", flat=True)[:60])
    locale = Locale.get_default()
    content_type = ContentType.objects.get_for_model(ExpertPage)
    last = index_page.get_last_child()
    step = Page.numconv_obj().str2int(last.path[-Page.steplen :]) if last else 0
    depth = index_page.depth + 1
    batch = f"{int(time.time())}"

    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(
                    email=f"bench{batch}-{n}@bench.example",
                    full_name=f"Bench Expert {n}",
                    is_expert=True,
                    password=unusable,
                )
                for n in range(count)
            ]
        )
        profiles = []
        for user in users:
            zone, currency, _extra = rng.choice(PLACES)
            price = Money.from_major(rng.choice([30, 45, 60, 80, 100, 150, 220]), currency)
            rated = rng.random() > 0.2
            profiles.append(
                ExpertProfile(
                    user=user,
                    time_zone=zone,
                    currency=currency,
                    rating_avg=Decimal(rng.randint(30, 50)) / 10 if rated else Decimal(0),
                    rating_count=rng.randint(1, 300) if rated else 0,
                    sessions_completed=rng.randint(0, 2000),
                    price_from_minor=price.amount,
                    price_from_ref_minor=price.to_reference().amount,
                )
            )
        profiles = ExpertProfile.objects.bulk_create(profiles)
        SessionType.objects.bulk_create(
            [
                SessionType(profile=p, duration_minutes=60, price_minor=p.price_from_minor, currency=p.currency)
                for p in profiles
            ]
        )
        base_pages = []
        for n, profile in enumerate(profiles):
            step += 1
            slug = f"bench-{batch}-{n}"
            base_pages.append(
                Page(
                    title=profile.user.full_name,
                    draft_title=profile.user.full_name,
                    slug=slug,
                    path=Page._get_path(index_page.path, depth, step),
                    depth=depth,
                    numchild=0,
                    url_path=f"{index_page.url_path}{slug}/",
                    live=True,
                    has_unpublished_changes=False,
                    content_type=content_type,
                    locale=locale,
                    translation_key=uuid.UUID(int=rng.getrandbits(128)),
                    first_published_at=DEMO_EPOCH,
                    last_published_at=DEMO_EPOCH,
                )
            )
        base_pages = Page.objects.bulk_create(base_pages)
        links_cat, links_lang = [], []
        for page, profile in zip(base_pages, profiles, strict=True):
            codes = sorted({"en", *rng.sample(["es", "de", "fr", "pt", "hi", "ja"], k=rng.randint(0, 2))})
            expert = ExpertPage(
                page_ptr_id=page.pk,
                profile=profile,
                headline="Benchmark expert with a believable headline",
                bio="Bio " * 50,
                photo_id=rng.choice(photos) if photos else None,
                years_experience=rng.randint(1, 30),
                language_codes=",".join(codes),
            )
            expert.__dict__.update({f.attname: getattr(page, f.attname) for f in Page._meta.concrete_fields})
            expert.save_base(raw=True)  # the child table only; the Page row exists
            sub = rng.choice(subcategories)
            links_cat += [
                ExpertPage.categories.through(expertpage_id=page.pk, category_id=sub.pk),
                ExpertPage.categories.through(expertpage_id=page.pk, category_id=sub.parent_id),
            ]
            links_lang += [
                ExpertPage.languages.through(expertpage_id=page.pk, language_id=languages[c].pk) for c in codes
            ]
        ExpertPage.categories.through.objects.bulk_create(links_cat)
        ExpertPage.languages.through.objects.bulk_create(links_lang)
        Page.objects.filter(pk=index_page.pk).update(numchild=index_page.numchild + count)


def index_missing(model) -> None:
    """Add pages without a search index entry (the bulk ones) to the index, in batches."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.search.backends import get_search_backend
    from wagtail.search.models import IndexEntry

    content_type = ContentType.objects.get_for_model(model)
    indexed = IndexEntry.objects.filter(content_type=content_type).values("object_id")
    missing = list(model.objects.exclude(pk__in=[int(pk) for pk in indexed.values_list("object_id", flat=True)]))
    if not missing:
        return
    started = time.perf_counter()
    backend = get_search_backend()
    for start in range(0, len(missing), 500):
        backend.add_bulk(model, missing[start : start + 500])
    print(f"indexed {len(missing)} pages in {time.perf_counter() - started:.1f}s")


def refresh_next_available() -> None:
    """Give bulk experts hours once, then time the batch refresh of every expert's next free time."""
    from datetime import time as clock_time

    from django.db import transaction

    from bookings.models import WeeklyHours
    from bookings.services.next_free import expert_next_available_refresh_many
    from marketplace.models import ExpertProfile

    bench = ExpertProfile.objects.filter(user__email__endswith="@bench.example")
    # Once per database: 30% of bench experts stay without hours on every later run.
    first_time = (
        []
        if bench.filter(weekly_hours__isnull=False).exists()
        else list(bench.order_by("pk").values_list("pk", flat=True))
    )
    if first_time:
        with transaction.atomic():
            rng = random.Random(5)
            rows, slow = [], []
            for pk in first_time:
                draw = rng.random()
                if draw < 0.3:
                    continue  # no hours: "No free times"
                rows += [
                    WeeklyHours(profile_id=pk, weekday=d, start=clock_time(9), end=clock_time(17)) for d in range(5)
                ]
                if draw < 0.51:  # 30% of those with hours: ten days' notice
                    slow.append(pk)
            WeeklyHours.objects.bulk_create(rows, batch_size=5000)
            ExpertProfile.objects.filter(pk__in=slow).update(min_notice_hours=240)
    user_ids = list(ExpertProfile.objects.order_by("pk").values_list("user_id", flat=True))
    started = time.perf_counter()
    values = expert_next_available_refresh_many(user_ids=user_ids)
    elapsed = time.perf_counter() - started
    free = sum(value is not None for value in values.values())
    from django.db import connection

    with connection.cursor() as cursor:  # fresh statistics for the new column, as autovacuum would
        cursor.execute("ANALYZE marketplace_expertprofile")
    print(
        f"next free time: {len(user_ids)} experts refreshed in {elapsed:.1f}s "
        f"({len(user_ids) / elapsed:.0f}/s), {free} with a free time"
    )


def search_documents_missing() -> None:
    """Build the browse search documents (PostgreSQL) of pages that have none (the bulk ones)."""
    from django.db import connection

    from marketplace.models import ExpertPage
    from marketplace.services.search_documents import expert_search_documents_refresh

    missing = list(ExpertPage.objects.filter(search_document__isnull=True).values_list("pk", flat=True))
    if not missing:
        return
    started = time.perf_counter()
    written = expert_search_documents_refresh(page_ids=missing)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE marketplace_expertsearchdocument")
    print(f"built {written} search documents in {time.perf_counter() - started:.1f}s")


def measure() -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from marketplace.models import ExpertPage

    client = Client()
    expert_url = "/experts/" + ExpertPage.objects.live().order_by("pk").values_list("slug", flat=True)[0] + "/"
    print(f"\n{'URL':<72} {'p50 ms':>7} {'p95 ms':>7} {'queries':>8} {'results':>8}")
    for url in [*URLS, expert_url]:
        response = client.get(url)  # warm: site cache, renditions, filter choices
        assert response.status_code == 200, (url, response.status_code)
        timings = []
        for _run in range(RUNS):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        found = re.search(r'id="results-heading"[^>]*>\s*((?:More than )?[\d,]+) expert', response.content.decode())
        count = found.group(1) if found else "?"
        p50 = statistics.median(timings)
        p95 = statistics.quantiles(timings, n=20)[18]
        print(f"{url:<72} {p50:7.1f} {p95:7.1f} {len(captured.captured_queries):8d} {count:>8}")


def main() -> None:
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    from marketplace.models import ExpertPage

    call_command("migrate", verbosity=0)
    if not ExpertPage.objects.exists():
        call_command("seed_demo", verbosity=0, allow_production=True)
    missing = TARGET - ExpertPage.objects.count()
    if missing > 0:
        started = time.perf_counter()
        bulk_experts(missing)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"bulk-added {missing} experts in {time.perf_counter() - started:.1f}s")
    index_missing(ExpertPage)
    search_documents_missing()
    refresh_next_available()
    print(f"experts: {ExpertPage.objects.live().count()}, runs per URL: {RUNS}")
    measure()


if __name__ == "__main__":
    main()
