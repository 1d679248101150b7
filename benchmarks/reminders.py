"""The reminder job's scan: the due reminders among 100,000 bookings (200,000 reminders).

Run:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
      .venv/bin/python -m benchmarks.reminders
It creates and drops its own database (bench_taptime_reminders_<pid>).
Target: the scan (``reminders_due_query`` with the job's row locks) in <= 50 ms.

100 experts and 100 learners; 100,000 one-hour confirmed bookings, one per expert
per hour over about 42 days around "now" (half in the past); two reminders each
(24 h and 1 h before), the past ones sent, the future ones planned. The scan
runs at 200 moments spread over the future range, 5 times each; it prints the
median and p95, how many rows each scan found, and PostgreSQL's plan.
"""

import os
import statistics
import time as clock
from datetime import UTC, datetime, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taptime.settings.test")
os.environ.setdefault("TEST_DATABASE_NAME", f"bench_taptime_reminders_{os.getpid()}")

import django  # noqa: E402

django.setup()

from django.db import connection, connections, transaction  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

BOOKINGS = 100_000
PEOPLE = 100
NOW = datetime(2026, 6, 1, 6, 2, tzinfo=UTC)


def main() -> None:
    config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    try:
        seed()
        measure()
    finally:
        connections.close_all()
        teardown_databases(config, verbosity=0)


def seed() -> None:
    from accounts.models import User

    started = clock.perf_counter()
    users = User.objects.bulk_create(
        [
            User(email=f"bench-{role}-{n}@example.com", full_name=f"Bench {role} {n}")
            for role in ("expert", "learner")
            for n in range(PEOPLE)
        ]
    )
    experts, learners = [u.pk for u in users[:PEOPLE]], [u.pk for u in users[PEOPLE:]]
    first_start = NOW - timedelta(hours=BOOKINGS // PEOPLE // 2)
    with connection.cursor() as cursor:
        # One booking per expert per hour: expert i with learner i, so nobody overlaps.
        cursor.execute(
            """
            INSERT INTO bookings_booking (learner_id, expert_id, start, "end", status, amount_minor, currency,
                goals_note, video_url, refund_tier, full_refund_hours, partial_refund_hours, partial_refund_percent,
                cancelling_by, reschedule_count, ics_sequence, created_at, updated_at)
            SELECT (%s::int[])[1 + n %% %s], (%s::int[])[1 + n %% %s],
                   %s + (n / %s) * interval '1 hour', %s + (n / %s) * interval '1 hour' + interval '1 hour',
                   'confirmed', 5000, 'EUR', '', '', 'flexible', 24, 0, 50, '', 0, 0, now(), now()
            FROM generate_series(0, %s - 1) AS n
            """,
            [learners, PEOPLE, experts, PEOPLE, first_start, PEOPLE, first_start, PEOPLE, BOOKINGS],
        )
        cursor.execute(
            """
            INSERT INTO bookings_reminder (booking_id, kind, channel, planned_start, due_at, status)
            SELECT b.id, k.kind, 'email', b.start, b.start - k.lead,
                   CASE WHEN b.start - k.lead <= %s THEN 'sent' ELSE 'planned' END
            FROM bookings_booking b
            CROSS JOIN (VALUES ('24h', interval '24 hours'), ('1h', interval '1 hour')) AS k(kind, lead)
            """,
            [NOW],
        )
        cursor.execute("ANALYZE bookings_booking; ANALYZE bookings_reminder;")
        cursor.execute("SELECT count(*), count(*) FILTER (WHERE status = 'planned') FROM bookings_reminder")
        total, planned = cursor.fetchone()
    print(
        f"seeded {BOOKINGS} bookings, {total} reminders ({planned} planned) in {clock.perf_counter() - started:.1f} s"
    )


def measure() -> None:
    from bookings.services.reminders import reminders_due_query

    def scan(at):
        # What the job runs: the due window, locked, with the booking (one statement).
        with transaction.atomic():
            return list(
                reminders_due_query(now=at)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("booking")[:500]
            )

    moments = [NOW + timedelta(minutes=17 * step) for step in range(200)]
    timings, found = [], []
    for at in moments:
        for _ in range(5):
            started = clock.perf_counter()
            rows = scan(at)
            timings.append((clock.perf_counter() - started) * 1000)
        found.append(len(rows))
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"due-window scan: median {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms, max {timings[-1]:.2f} ms "
        f"over {len(timings)} scans; rows found per scan: median {statistics.median(found)}, max {max(found)}"
    )
    query = reminders_due_query(now=moments[50]).select_related("booking")[:500]
    with connection.cursor() as cursor:
        sql, params = query.query.sql_with_params()
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        print("\n".join(row[0] for row in cursor.fetchall()))
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
