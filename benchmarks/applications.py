"""Expert applications benchmark: the staff queue at 1,000 applications, the applicant's pages and the document view.

Run on demand (not part of pytest):

    .venv/bin/python benchmarks/applications.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/other BENCH_RUNS=100 .venv/bin/python benchmarks/applications.py

It creates (or reuses) its own PostgreSQL database, migrates it, and bulk-adds
1,000 applications (``BENCH_APPLICATIONS``) in every state but draft, spread
over categories and three reviewers, with two documents each (all pointing at
one stored PNG and one PDF in a temporary private folder). Then, through
Django's test Client in this process (loopback, no network), it prints:

- the queue's query count at 10 applications and at all of them (it must not grow),
- p50/p95 of the queue (unfiltered, filtered), the review screen,
- p50/p95 of each page of one applicant (the steps, the review step, the status
  page) and of the private document view (a PNG and a PDF), as the applicant and as a reviewer.

Settings: ``taptime.settings.base`` with DEBUG off, no staff second factor (a
benchmark signs in with ``force_login``), local-memory cache.
"""

from __future__ import annotations

import hashlib
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/taptime_bench_applications")
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taptime.settings.base")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("STAFF_MFA_REQUIRED", "False")
os.environ.setdefault("PRIVATE_MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "taptime-bench-private"))

TARGET = int(os.environ.get("BENCH_APPLICATIONS", "1000"))
RUNS = int(os.environ.get("BENCH_RUNS", "200"))


def ensure_database() -> None:
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (600, 400), "#336699").save(buffer, format="PNG")
    return buffer.getvalue()


def _pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def seed(count: int, *, offset: int = 0) -> None:
    """Reviewers, categories, one applicant we measure, and ``count`` applications in bulk."""
    from datetime import timedelta

    from django.contrib.auth.models import Group
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from marketplace.models import ApplicationDocument, Category, ExpertApplication, Language

    private = storages["private"]
    png_name, pdf_name = "applications/documents/bench.png", "applications/documents/bench.pdf"
    for name, content in ((png_name, _png), (pdf_name, _pdf)):
        if not private.exists(name):
            private.save(name, ContentFile(content()))
    group = Group.objects.get(name="Expert reviewers")
    reviewers = []
    for n in range(3):
        user, _ = User.objects.get_or_create(
            email=f"bench-reviewer-{n}@example.com", defaults={"full_name": f"Reviewer {n}", "is_staff": True}
        )
        user.groups.add(group)
        reviewers.append(user)
    parents = []
    for n in range(4):
        parent, _ = Category.objects.get_or_create(slug=f"bench-cat-{n}", defaults={"name": f"Bench {n}"})
        parents.append(parent)
        for m in range(3):
            Category.objects.get_or_create(
                slug=f"bench-cat-{n}-{m}", defaults={"name": f"Bench {n}.{m}", "parent": parent}
            )
    categories = list(Category.objects.filter(slug__startswith="bench-cat-"))
    english = Language.objects.get(code="en")
    statuses = [
        ExpertApplication.Status.SUBMITTED,
        ExpertApplication.Status.IN_REVIEW,
        ExpertApplication.Status.CHANGES_REQUESTED,
        ExpertApplication.Status.APPROVED,
        ExpertApplication.Status.REJECTED,
    ]
    offer = {
        "currency": "EUR",
        "sessions": [{"minutes": 30, "price": "45.00"}, {"minutes": 60, "price": "80.00"}],
        "packages": [{"sessions": 5, "minutes": 60, "price": "350.00"}],
    }
    now = timezone.now()
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(email=f"bench-applicant-{n}@example.com", full_name=f"Applicant {n}")
                for n in range(offset, offset + count)
            ]
        )
        applications = ExpertApplication.objects.bulk_create(
            [
                ExpertApplication(
                    user=user,
                    status=statuses[n % len(statuses)],
                    step=4,
                    headline=f"Bench headline {n}",
                    bio="I teach. " * 50,
                    time_zone="Europe/Berlin",
                    links=["https://example.com/"],
                    skills=["Python", "SQL"],
                    years_experience=5,
                    offer=offer,
                    submitted_at=now - timedelta(hours=n),
                    reviewer=reviewers[n % 3] if n % 5 in (1, 2, 3, 4) else None,
                    claimed_at=now if n % 5 in (1, 2, 3, 4) else None,
                )
                for n, user in enumerate(users)
            ]
        )
        through = ExpertApplication.categories.through
        through.objects.bulk_create(
            [
                through(expertapplication_id=app.pk, category_id=categories[n % len(categories)].pk)
                for n, app in enumerate(applications)
            ]
        )
        ExpertApplication.languages.through.objects.bulk_create(
            [
                ExpertApplication.languages.through(expertapplication_id=app.pk, language_id=english.pk)
                for app in applications
            ]
        )
        png, pdf = private.open(png_name).read(), private.open(pdf_name).read()
        ApplicationDocument.objects.bulk_create(
            [
                ApplicationDocument(
                    application=app,
                    kind=kind,
                    title=title,
                    file=name,
                    content_type=content_type,
                    size=len(content),
                    sha256=hashlib.sha256(content).hexdigest(),
                )
                for app in applications
                for kind, title, name, content_type, content in (
                    ("identity", "Passport", png_name, "image/png", png),
                    ("certificate", "Certificate", pdf_name, "application/pdf", pdf),
                )
            ]
        )


def timed(client, url: str, runs: int) -> tuple[float, float, int]:
    for _ in range(5):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1], response.status_code


def queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def main() -> None:
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings

    from accounts.models import User
    from marketplace.models import ExpertApplication

    call_command("migrate", verbosity=0)
    with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
        reviewer_client = Client()
        existing = ExpertApplication.objects.count()
        if existing < 10:
            seed(10 - existing, offset=existing)
            existing = 10
        if existing < TARGET:
            reviewer_client.force_login(User.objects.get(email="bench-reviewer-0@example.com"))
            print(
                f"queue queries at {existing} applications: {queries(reviewer_client, '/admin/applications/?status=all')}"
            )
            started = time.perf_counter()
            seed(TARGET - existing, offset=existing)
            print(f"seeded {TARGET - existing} applications in {time.perf_counter() - started:.1f}s")
        reviewer_client.force_login(User.objects.get(email="bench-reviewer-0@example.com"))
        total = ExpertApplication.objects.count()
        print(f"queue queries at {total} applications: {queries(reviewer_client, '/admin/applications/?status=all')}")

        application = ExpertApplication.objects.filter(status="submitted").order_by("pk").first()
        applicant_client = Client()
        applicant_client.force_login(application.user)
        png = application.documents.get(kind="identity").pk
        pdf = application.documents.get(kind="certificate").pk
        rows = [
            ("reviewer", reviewer_client, "/admin/applications/"),
            ("reviewer", reviewer_client, "/admin/applications/?status=all&age=3&order=-waiting"),
            (
                "reviewer",
                reviewer_client,
                "/admin/applications/?reviewer=me&category="
                + str(application.categories.first().parent_id or application.categories.first().pk),
            ),
            ("reviewer", reviewer_client, f"/admin/applications/{application.pk}/"),
            ("reviewer", reviewer_client, f"/join/documents/{png}/"),
            ("applicant", applicant_client, "/join/application/"),
            ("applicant", applicant_client, f"/join/documents/{png}/"),
            ("applicant", applicant_client, f"/join/documents/{pdf}/"),
        ]
        # The steps are the applicant's while the application is editable: measure them on a draft.
        ExpertApplication.objects.filter(pk=application.pk).update(status="changes_requested")
        for step in ("about", "expertise", "offer", "credentials", "review"):
            rows.append(("applicant", applicant_client, f"/join/apply/{step}/"))
        print(f"runs per URL: {RUNS}")
        print(f"{'who':10} {'p50 ms':>7} {'p95 ms':>7} {'queries':>7}  url")
        for who, client, url in rows:
            count = queries(client, url)
            p50, p95, _status = timed(client, url, RUNS)
            print(f"{who:10} {p50:7.1f} {p95:7.1f} {count:7d}  {url}")
        ExpertApplication.objects.filter(pk=application.pk).update(status="submitted")


if __name__ == "__main__":
    main()
