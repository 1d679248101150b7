"""booking_hold latency with 20 concurrent learners on loopback PostgreSQL.

Each of 20 threads (own connection) holds distinct slots. First all on one
expert, contending for that expert's lock (a popular expert at launch: the
worst case), then each learner on their own expert.

Run:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
      .venv/bin/python -m benchmarks.holds
It creates and drops its own database (bench_taptime_holds_<pid>).
Target: p95 <= 100 ms.
"""

import os
import statistics
import threading
import time as clock
from datetime import UTC, datetime, time, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taptime.settings.test")
os.environ.setdefault("TEST_DATABASE_NAME", f"bench_taptime_holds_{os.getpid()}")
# Each learner holds ROUNDS times in a row without paying: lift the velocity limits (their query still runs).
os.environ.setdefault("BOOKING_HOLDS_PER_HOUR", "1000000")
os.environ.setdefault("BOOKING_UNPAID_HOLDS_PER_EXPERT_PER_DAY", "1000000")

import django  # noqa: E402

django.setup()

from django.db import connection, connections  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

USERS, ROUNDS = 20, 10


def main() -> None:
    config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    try:
        run(one_expert=True, users=1)  # baseline: no concurrency
        run(one_expert=True)
        run(one_expert=False)
    finally:
        connections.close_all()
        teardown_databases(config, verbosity=0)


def run(*, one_expert: bool, users: int = USERS) -> None:
    from accounts.models import User
    from bookings.errors import SlotTaken
    from bookings.services import booking_hold, scheduling_policy_update, weekly_hours_replace
    from core.money import Money
    from marketplace.models import ExpertProfile
    from marketplace.services import session_type_create

    now = datetime(2026, 6, 1, 6, tzinfo=UTC)
    label = f"{'one' if one_expert else 'many'}-{users}"

    def bench_expert(n: int):
        """Open every day 00:00–23:30 UTC, no notice, a 30-minute session at EUR 50."""
        user = User.objects.create_user(
            email=f"bench-expert-{label}-{n}@example.com", password=None, full_name="Bench Expert", is_expert=True
        )
        profile = ExpertProfile.objects.create(user=user, time_zone="UTC", currency="EUR")
        weekly_hours_replace(profile=profile, windows=[(day, time(0), time(23, 30)) for day in range(7)])
        scheduling_policy_update(
            profile=profile, min_notice_hours=0, horizon_days=60, buffer_minutes=0, slot_step_minutes=30
        )
        session_type = session_type_create(profile=profile, duration_minutes=30, price=Money(5_000, "EUR"))
        session_type.profile = profile
        return session_type

    experts = [bench_expert(n) for n in range(1 if one_expert else users)]
    learners = [
        User.objects.create_user(email=f"bench-{label}-{n}@example.com", password=None, full_name=f"Bench {n}")
        for n in range(users)
    ]
    connection.close()
    timings: list[float] = []
    taken = 0
    lock = threading.Lock()
    barrier = threading.Barrier(users)

    def learner_run(index: int, learner) -> None:
        nonlocal taken
        barrier.wait()
        for round_number in range(ROUNDS):
            # Distinct hour per (learner, round): no conflicts, pure lock/insert cost.
            start = now + timedelta(days=1, hours=index + users * round_number)
            began = clock.perf_counter()
            try:
                booking_hold(learner=learner, session_type=experts[index % len(experts)], start=start, now=now)
            except SlotTaken:
                with lock:
                    taken += 1
            elapsed = (clock.perf_counter() - began) * 1000
            with lock:
                timings.append(elapsed)
        connections.close_all()

    threads = [threading.Thread(target=learner_run, args=(n, learner)) for n, learner in enumerate(learners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    target = "one expert (all contend for its lock)" if one_expert else f"{users} experts"
    print(f"booking_hold, {users} concurrent learners x {ROUNDS} holds, {target}: {len(timings)} holds")
    print(f"  median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms, refused {taken}")


if __name__ == "__main__":
    main()
