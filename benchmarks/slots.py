"""Slot engine speed: 90 days of availability with 500 existing bookings.

Run: .venv/bin/python -m benchmarks.slots   (target: median and p95 <= 20 ms)
"""

import random
import statistics
import time as clock
from datetime import UTC, datetime, time, timedelta

from bookings.scheduling import Availability, Interval, SchedulingPolicy, WeeklyRule, compute_slots, validate_slot


def main(runs: int = 50) -> None:
    rng = random.Random(5)
    now = datetime(2026, 3, 1, 8, tzinfo=UTC)
    avail = Availability(
        time_zone="Europe/Berlin",
        weekly=tuple(WeeklyRule(day, time(8), time(20)) for day in range(7)),
        policy=SchedulingPolicy(
            min_notice=timedelta(hours=12),
            horizon=timedelta(days=90),
            buffer=timedelta(minutes=10),
            slot_step=timedelta(minutes=15),
            daily_cap=8,
        ),
    )
    bookings = []
    for _ in range(500):
        start = now + timedelta(minutes=15 * rng.randrange(0, 90 * 24 * 4))
        bookings.append(Interval(start, start + timedelta(minutes=rng.choice([30, 60, 90]))))
    timings = []
    for _ in range(runs):
        began = clock.perf_counter()
        slots = compute_slots(
            availability=avail,
            duration=timedelta(hours=1),
            range_start=now,
            range_end=now + timedelta(days=90),
            now=now,
            bookings=bookings,
        )
        timings.append((clock.perf_counter() - began) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"compute_slots 90 days, 500 bookings: {len(slots)} slots")
    print(f"  median {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms over {runs} runs")
    checks = []
    for slot in slots[:: max(1, len(slots) // 200)]:
        began = clock.perf_counter()
        validate_slot(start=slot.start, availability=avail, duration=timedelta(hours=1), now=now, bookings=bookings)
        checks.append((clock.perf_counter() - began) * 1000)
    checks.sort()
    print(f"validate_slot: median {statistics.median(checks):.3f} ms, p95 {checks[int(len(checks) * 0.95) - 1]:.3f} ms")


if __name__ == "__main__":
    main()
