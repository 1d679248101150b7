"""The operations console at 100,000 bookings and 10,000 users: each list and the statistics page.

Run:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
      .venv/bin/python -m benchmarks.ops_console
It creates and drops its own database (bench_taptime_ops_<pid>): migrated from scratch, or copied
from an already-migrated template with BENCH_TEMPLATE_DB=<name> (CREATE DATABASE … TEMPLATE, seconds
instead of minutes; the template must have no other connections).
Targets: every list answers in <= 150 ms p95 with a fixed query count; the statistics page for a
year (by week and by month) in <= 300 ms p95.

Seed: 10,000 users (100 experts), 100,000 one-hour bookings spread over the past year (60 %
completed, 10 % cancelled, 10 % no-show, 10 % confirmed, 10 % expired holds), a payment for every
paid one and its ledger posting (gross, 15 % commission, the expert's share), then the stored daily
figures counted once (``insights_refresh --since``, timed). Each URL is requested 30 times after two
warm-up requests through Django's test client as an Administrators member (in-process, no HTTP).
"""

import io
import os
import statistics
import time as clock
from datetime import UTC, datetime, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taptime.settings.test")
os.environ.setdefault("TEST_DATABASE_NAME", f"bench_taptime_ops_{os.getpid()}")

import django  # noqa: E402

django.setup()

from django.db import connection, connections  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)

USERS = 10_000
EXPERTS = 100
BOOKINGS = 100_000
RUNS = 30


def main() -> None:
    template = os.environ.get("BENCH_TEMPLATE_DB")
    name = os.environ["TEST_DATABASE_NAME"]
    if template:
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        connections.close_all()
        connection.settings_dict["NAME"] = name
        config = None
    else:
        config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    try:
        seed()
        measure()
    finally:
        connections.close_all()
        if config is not None:
            teardown_databases(config, verbosity=0)
        else:
            connection.settings_dict["NAME"] = "postgres"
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE "{name}"')


def seed() -> None:
    from django.core.management import call_command

    from accounts.models import User
    from billing.models import LedgerAccount

    started = clock.perf_counter()
    now = datetime.now(UTC)
    users = User.objects.bulk_create(
        [
            User(email=f"bench-{n}@example.com", full_name=f"Bench Person {n}", is_expert=n < EXPERTS)
            for n in range(USERS)
        ],
        batch_size=2000,
    )
    experts, learners = [u.pk for u in users[:EXPERTS]], [u.pk for u in users[EXPERTS:]]
    User.objects.filter(pk__in=learners[:365]).update(date_joined=now - timedelta(days=200))
    learner_payments = LedgerAccount.objects.create(kind="learner_payments", currency="EUR")
    revenue = LedgerAccount.objects.create(kind="platform_revenue", currency="EUR")
    pending = LedgerAccount.objects.bulk_create(
        [LedgerAccount(kind="expert_pending", currency="EUR", owner_id=pk) for pk in experts]
    )
    pending_ids = [account.pk for account in pending]
    first = now - timedelta(days=365)
    step = timedelta(days=364) / BOOKINGS
    with connection.cursor() as cursor:
        # Booking n: expert n % 100, learner n % 9,900, starting n steps after a year ago; no overlaps
        # per expert (one booking per expert every 100 steps = ~8.7 hours).
        cursor.execute(
            """
            INSERT INTO bookings_booking (learner_id, expert_id, start, "end", status, amount_minor, currency,
                goals_note, video_url, refund_tier, full_refund_hours, partial_refund_hours, partial_refund_percent,
                cancelling_by, reschedule_count, ics_sequence, created_at, updated_at, confirmed_at, hold_expires_at,
                video_provider, video_meeting_id)
            SELECT (%s::int[])[1 + n %% %s], (%s::int[])[1 + n %% %s],
                   %s + n * %s, %s + n * %s + interval '1 hour',
                   CASE WHEN n %% 10 < 6 THEN 'completed' WHEN n %% 10 = 6 THEN 'cancelled_by_learner'
                        WHEN n %% 10 = 7 THEN 'no_show_learner' WHEN n %% 10 = 8 THEN 'confirmed'
                        ELSE 'expired' END,
                   5000, 'EUR', '', '', 'flexible', 24, 0, 50, '', 0, 0,
                   %s + n * %s - interval '3 days', now(),
                   CASE WHEN n %% 10 = 9 THEN NULL ELSE %s + n * %s - interval '2 days' END,
                   CASE WHEN n %% 10 = 9 THEN %s + n * %s - interval '3 days' ELSE NULL END, '', ''
            FROM generate_series(0, %s - 1) AS n
            """,
            [learners, len(learners), experts, EXPERTS, first, step, first, step, first, step, first, step]
            + [first, step, BOOKINGS],
        )
        cursor.execute(
            """
            INSERT INTO billing_payment (booking_id, reference, payer_id, payee_id, amount_minor, currency,
                commission_rate_bp, status, idempotency_key, last_error, refunded_minor, dispute_status,
                created_at, updated_at)
            SELECT id, 'booking-' || id, learner_id, expert_id, amount_minor, currency, 1500,
                   'succeeded', 'booking-' || id || '-pi-v1', '', 0, '', confirmed_at, confirmed_at
            FROM bookings_booking WHERE confirmed_at IS NOT NULL
            """
        )
        cursor.execute(
            """
            INSERT INTO billing_ledgertransaction (kind, reference, memo, created_at)
            SELECT 'payment', 'payment-' || id, '', created_at FROM billing_payment
            """
        )
        cursor.execute(
            """
            INSERT INTO billing_ledgerentry (transaction_id, account_id, amount, currency)
            SELECT t.id, a.account_id, a.amount, 'EUR'
            FROM billing_ledgertransaction t
            JOIN billing_payment p ON t.reference = 'payment-' || p.id
            CROSS JOIN LATERAL (VALUES
                (%s, -p.amount_minor),
                (%s, p.amount_minor * 1500 / 10000),
                ((%s::int[])[1 + (p.payee_id - %s) %% %s], p.amount_minor - p.amount_minor * 1500 / 10000)
            ) AS a(account_id, amount)
            """,
            [learner_payments.pk, revenue.pk, pending_ids, experts[0], EXPERTS],
        )
        cursor.execute("ANALYZE")
    print(
        f"seeded {USERS} users, {BOOKINGS} bookings, their payments and ledger in {clock.perf_counter() - started:.1f} s"
    )
    started = clock.perf_counter()
    since = (now - timedelta(days=366)).date().isoformat()
    call_command("insights_refresh", since=since, stdout=io.StringIO())
    print(f"insights_refresh --since {since}: {clock.perf_counter() - started:.1f} s")


def measure() -> None:
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.test import Client

    from accounts.models import User

    setup_test_environment()  # the test client's host, local-memory email
    call_command("ops_groups", stdout=io.StringIO())
    admin = User.objects.create(email="bench-admin@example.com", full_name="Bench Admin", is_staff=True)
    admin.groups.add(Group.objects.get(name="Administrators"))
    client = Client()
    client.force_login(admin)
    today = datetime.now(UTC).date()
    year = f"start={(today - timedelta(days=364)).isoformat()}&end={today.isoformat()}"
    urls = [
        "/admin/ops/people/",
        "/admin/ops/people/?q=Person+42",
        "/admin/ops/sessions/",
        "/admin/ops/sessions/?status=completed",
        "/admin/ops/money/payments/",
        "/admin/ops/money/refunds/",
        f"/admin/statistics/?{year}&granularity=week",
        f"/admin/statistics/?{year}&granularity=month",
        "/admin/statistics/",
    ]
    print(f"{'URL':<70} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for url in urls:
        for _ in range(2):
            assert client.get(url).status_code == 200, url
        times = []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                started = clock.perf_counter()
                response = client.get(url)
                times.append((clock.perf_counter() - started) * 1000)
            assert response.status_code == 200
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"{url[:70]:<70} {statistics.median(times):8.1f} {p95:8.1f} {len(queries):8d}")
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
