"""The operations console's people at 10,000 users and 100,000 audit entries, in-process.

Run:  TEST_DATABASE_NAME=test_<branch> .venv/bin/python -m benchmarks.ops_people
It reuses (or creates) that test database and seeds everything inside one transaction that is
rolled back at the end, so the database is left as it was. Target (issue 17): every list
<= 150 ms p95 with a constant query count.

Seeds 10,000 people in 40 time zones (a quarter experts), 100,000 sign-in entries in the audit log
spread over them (2,000 on the person whose page is measured) and 50 live announcements. Measures,
30 runs each after 3 warm-ups, with the Django test client signed in as an administrator: the
people list (first page), a search, the country filter, the person's page, and a learner's
dashboard announcements read; prints p50/p95 and the queries per request.
"""

import os
import statistics
import time as clock

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taptime.settings.test")
os.environ.setdefault("TEST_DATABASE_NAME", f"bench_taptime_ops_people_{os.getpid()}")

import django  # noqa: E402

django.setup()

from django.db import connection, connections, transaction  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)

PEOPLE = 10_000
ENTRIES = 100_000
ZONES = [
    "Europe/Berlin", "Europe/Lisbon", "Europe/Madrid", "Europe/Paris", "Europe/London", "America/New_York",
    "America/Chicago", "America/Sao_Paulo", "Asia/Kolkata", "Asia/Tokyo", "Australia/Sydney", "Africa/Lagos",
]  # fmt: skip
RUNS = 30


class Rollback(Exception):
    pass


def main() -> None:
    setup_test_environment()  # the test client's host, and the test settings' admin sign-in rules
    config = setup_databases(verbosity=0, interactive=False, keepdb=True, aliases={"default"})
    try:
        with transaction.atomic():
            admin, target = seed()
            measure(admin, target)
            raise Rollback
    except Rollback:
        pass
    finally:
        connections.close_all()
        if not os.environ["TEST_DATABASE_NAME"].startswith("test_"):
            teardown_databases(config, verbosity=0)


def seed():
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import User
    from accounts.security_events import LOG_SIGN_IN
    from notifications.models import Announcement

    started = clock.perf_counter()
    call_command("ops_groups", stdout=open(os.devnull, "w"))  # noqa: SIM115
    users = User.objects.bulk_create(
        [
            User(
                email=f"bench-person-{n}@example.com",
                full_name=f"Bench Person {n}",
                time_zone=ZONES[n % len(ZONES)],
                is_expert=n % 4 == 0,
            )
            for n in range(PEOPLE)
        ],
        batch_size=2000,
    )
    admin = User.objects.create(email="bench-admin@example.com", full_name="Bench Admin", is_staff=True)
    admin.groups.add(Group.objects.get(name="Administrators"))
    target = users[1]
    content_type = ContentType.objects.get_for_model(User)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO wagtailcore_modellogentry (content_type_id, label, action, data, timestamp,
                content_changed, deleted, object_id, user_id, uuid)
            SELECT %s, 'Bench', %s, '{"device": "Firefox on Windows", "place": "Unknown place"}'::jsonb,
                   now() - n * interval '1 minute', false, false,
                   CASE WHEN n < 2000 THEN %s ELSE (%s::int[])[1 + n %% %s] END::text, NULL, NULL
            FROM generate_series(0, %s - 1) AS n
            """,
            [content_type.pk, LOG_SIGN_IN, target.pk, [u.pk for u in users], PEOPLE, ENTRIES],
        )
        cursor.execute("ANALYZE")
    now = timezone.now()
    Announcement.objects.bulk_create([Announcement(title=f"News {n}", body="Body", starts_at=now) for n in range(50)])
    print(f"seeded {PEOPLE:,} people, {ENTRIES:,} audit entries in {clock.perf_counter() - started:.1f} s")
    return admin, target


def timed(client, url, params=None) -> tuple[list[float], int]:
    for _warm in range(3):
        response = client.get(url, params or {})
        assert response.status_code == 200, (url, response.status_code, response.get("Location"))
    times = []
    for _run in range(RUNS):
        started = clock.perf_counter()
        client.get(url, params or {})
        times.append((clock.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, params or {})
    return times, len(queries)


def report(name, times, queries) -> None:
    p95 = statistics.quantiles(times, n=20)[18]
    print(f"{name:<34} p50 {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   queries {queries}")


def measure(admin, target) -> None:
    from django.test import Client

    from notifications.announcements import announcements_for

    client = Client()
    client.force_login(admin)
    for name, url, params in (
        ("people list (page 1)", "/admin/ops/people/", None),
        ("people search 'person 99'", "/admin/ops/people/", {"q": "person 99"}),
        ("people country=PT", "/admin/ops/people/", {"country": "PT"}),
        ("people role=expert&status=active", "/admin/ops/people/", {"role": "expert", "status": "active"}),
        ("person page (2,000 sign-ins)", f"/admin/ops/people/{target.pk}/", None),
    ):
        report(name, *timed(client, url, params))
    times = []
    for _run in range(RUNS):
        started = clock.perf_counter()
        announcements_for(user=target)
        times.append((clock.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        announcements_for(user=target)
    report("announcements_for (50 live)", times, len(queries))


if __name__ == "__main__":
    main()
