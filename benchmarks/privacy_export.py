"""The privacy export of one heavy user: 1,000 bookings, 5,000 message-like rows, payments, files.

Run:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
      .venv/bin/python -m benchmarks.privacy_export
It creates and drops its own database (bench_taptime_privacy_<pid>). On a busy machine, reuse
an already migrated test database instead (everything is rolled back at the end):
      BENCH_KEEPDB=1 TEST_DATABASE_NAME=test_<branch> .venv/bin/python -m benchmarks.privacy_export
Bar (issue 20): the whole export (every part's JSON and the files into a ZIP on disk) in
<= 30 s, holding <= 200 MB (tracemalloc's peak of Python allocations).

Messages between learner and expert are not on main yet; questionnaire answers (5,000 of 600
characters, five per booking) stand in for them, the closest rows that exist today. Each of the
1,000 bookings also has a paid payment and two session notes of the learner (2,000); 20
uploaded files of 1 MB go into the archive.
"""

import os
import tempfile
import time as clock
import tracemalloc
from datetime import UTC, datetime, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taptime.settings.test")
os.environ.setdefault("TEST_DATABASE_NAME", f"bench_taptime_privacy_{os.getpid()}")

import django  # noqa: E402

django.setup()

from django.db import connections, transaction  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

BOOKINGS = 1_000
MESSAGES = 5_000
FILES = 20
FILE_BYTES = 1024 * 1024
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


class _Rollback(Exception):
    pass


def main() -> None:
    keep = os.environ.get("BENCH_KEEPDB") == "1"
    config = setup_databases(verbosity=0, interactive=False, aliases={"default"}, keepdb=keep)
    try:
        with transaction.atomic():
            user = seed()
            measure(user)
            raise _Rollback
    except _Rollback:
        pass
    finally:
        connections.close_all()
        if not keep:
            teardown_databases(config, verbosity=0)


def seed():
    from django.core.files.base import ContentFile

    from accounts.models import User
    from billing.models import Payment
    from bookings.models import Booking, QuestionnaireAnswer, SessionNote, SessionResource

    started = clock.perf_counter()
    learner = User.objects.create(email="bench-heavy@example.com", full_name="Bench Heavy")
    expert = User.objects.create(email="bench-expert@example.com", full_name="Bench Expert", is_expert=True)
    bookings = Booking.objects.bulk_create(
        [
            Booking(
                learner=learner,
                expert=expert,
                start=START + timedelta(hours=n),
                end=START + timedelta(hours=n, minutes=60),
                status=Booking.Status.COMPLETED,
                amount_minor=8000,
                currency="EUR",
                goals_note="Goals " * 40,
            )
            for n in range(BOOKINGS)
        ],
        batch_size=1000,
    )
    Payment.objects.bulk_create(
        [
            Payment(
                booking=b,
                reference=f"booking-{b.pk}",
                payer=learner,
                payee=expert,
                amount_minor=8000,
                currency="EUR",
                commission_rate_bp=1500,
                status="succeeded",
                idempotency_key=f"bench-{b.pk}",
            )
            for b in bookings
        ],
        batch_size=1000,
    )
    # Message stand-ins: five 600-character answers per booking (5,000), plus the learner's two notes
    # per booking (one shared, one private: the most a booking allows per author).
    QuestionnaireAnswer.objects.bulk_create(
        [
            QuestionnaireAnswer(booking=b, position=p, question="Why?", answer="x" * 600)
            for b in bookings
            for p in range(1, MESSAGES // BOOKINGS + 1)
        ],
        batch_size=1000,
    )
    SessionNote.objects.bulk_create(
        [
            SessionNote(booking=b, author=learner, shared=shared, body="n" * 600)
            for b in bookings
            for shared in (True, False)
        ],
        batch_size=1000,
    )
    for n in range(FILES):
        resource = SessionResource(booking=bookings[n], kind="file", title=f"File {n}", content_type="application/pdf")
        resource.file.save(f"bench-{n}.pdf", ContentFile(os.urandom(FILE_BYTES)), save=False)
        resource.size = FILE_BYTES
        resource.save()
    print(
        f"seeded {BOOKINGS} bookings, {MESSAGES} answers, {2 * BOOKINGS} notes, {FILES} files in {clock.perf_counter() - started:.1f} s"
    )
    return learner


def measure(user) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.privacy_services import privacy_export_write
    from bookings.models import SessionResource

    try:
        with tempfile.TemporaryFile() as target, CaptureQueriesContext(connection) as queries:
            tracemalloc.start()
            started = clock.perf_counter()
            counts = privacy_export_write(user=user, target=target)
            elapsed = clock.perf_counter() - started
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            size = target.tell()
        print(f"export: {elapsed:.2f} s, peak {peak / 1e6:.1f} MB (tracemalloc), archive {size / 1e6:.1f} MB")
        print(f"queries: {len(queries.captured_queries)}; rows per part: {counts}")
        print("bar: <= 30 s and <= 200 MB:", "met" if elapsed <= 30 and peak <= 200e6 else "NOT met")
    finally:
        for resource in SessionResource.objects.filter(booking__learner=user).exclude(file=""):
            resource.file.delete(save=False)


if __name__ == "__main__":
    main()
