"""Calendar import speed: parse and expand a 5,000-event feed, a 304 refresh, slots with 2,000 imported blocks.

Run: .venv/bin/python -m benchmarks.calendar_import   (about 20 s; no database)

Bars (issue 14): parse + expand a 5,000-event feed with recurrences over a 60-day horizon
<= 1 s; a refresh answered "304 Not Modified" <= 5 ms of worker time (the fetching
thread's CPU time, against a local HTTP server in this script); the slot engine with
2,000 imported busy blocks within 2x of none.
"""

from __future__ import annotations

import random
import statistics
import threading
import time as clock
from datetime import UTC, datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

from bookings.ics_import import busy_blocks, fetch_calendar
from bookings.scheduling import Availability, Interval, SchedulingPolicy, WeeklyRule, compute_slots

NOW = datetime(2026, 6, 1, 6, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")


def feed(events: int = 5000, recurring: int = 500) -> bytes:
    """``recurring`` weekly series (each with an EXDATE and a moved instance) and single events, 5,000 VEVENTs."""
    rng = random.Random(14)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//EN", "X-WR-TIMEZONE:Europe/Berlin"]
    singles = events - 2 * recurring
    for n in range(recurring):
        start = datetime(2026, 5, 4, 8) + timedelta(days=rng.randrange(5), minutes=30 * rng.randrange(20))  # noqa: DTZ001
        skipped, moved = start + timedelta(weeks=2), start + timedelta(weeks=3)
        fmt = "%Y%m%dT%H%M%S"
        lines += [
            "BEGIN:VEVENT", f"UID:series-{n}@bench", f"DTSTART;TZID=Europe/Berlin:{start:{fmt}}",
            f"DTEND;TZID=Europe/Berlin:{start + timedelta(minutes=45):{fmt}}", "RRULE:FREQ=WEEKLY",
            f"EXDATE;TZID=Europe/Berlin:{skipped:{fmt}}", "END:VEVENT",
            "BEGIN:VEVENT", f"UID:series-{n}@bench", f"RECURRENCE-ID;TZID=Europe/Berlin:{moved:{fmt}}",
            f"DTSTART;TZID=Europe/Berlin:{moved + timedelta(hours=2):{fmt}}",
            f"DTEND;TZID=Europe/Berlin:{moved + timedelta(hours=2, minutes=45):{fmt}}", "END:VEVENT",
        ]  # fmt: skip
    for n in range(singles):
        start = NOW + timedelta(minutes=15 * rng.randrange(60 * 24 * 4))
        lines += [
            "BEGIN:VEVENT", f"UID:single-{n}@bench", f"DTSTART:{start:%Y%m%dT%H%M%SZ}",
            f"DTEND:{start + timedelta(minutes=30):%Y%m%dT%H%M%SZ}", "END:VEVENT",
        ]  # fmt: skip
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def parse_bench(runs: int = 3) -> None:
    data = feed()
    timings = []
    for _ in range(runs):
        began = clock.perf_counter()
        blocks = busy_blocks(data, begin=NOW, end=NOW + timedelta(days=60), zone=BERLIN, max_events=50_000)
        timings.append(clock.perf_counter() - began)
    print(f"parse + expand 5,000 VEVENTs ({len(data) // 1024} KiB) over 60 days: {len(blocks)} merged blocks")
    print(f"  median {statistics.median(timings):.3f} s, worst {max(timings):.3f} s over {runs} runs (bar <= 1 s)")


class _NotModified(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        if self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.send_header("ETag", '"v1"')
            self.end_headers()
        else:
            self.send_response(500)
            self.end_headers()

    def log_message(self, *args):
        pass


def not_modified_bench(runs: int = 200) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NotModified)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/cal.ics"
    cpu, wall = [], []
    try:
        for _ in range(runs):
            began_cpu, began = clock.thread_time(), clock.perf_counter()
            result = fetch_calendar(url, etag='"v1"', allow_loopback=True)
            cpu.append((clock.thread_time() - began_cpu) * 1000)
            wall.append((clock.perf_counter() - began) * 1000)
            assert result.not_modified
    finally:
        server.shutdown()
    cpu.sort(), wall.sort()
    p95 = int(runs * 0.95) - 1
    print(f"304 refresh against a local server, {runs} runs (bar <= 5 ms worker time):")
    print(f"  worker CPU median {statistics.median(cpu):.2f} ms, p95 {cpu[p95]:.2f} ms")
    print(f"  wall median {statistics.median(wall):.2f} ms, p95 {wall[p95]:.2f} ms (includes the server thread)")


def slots_bench(runs: int = 200) -> None:
    rng = random.Random(2)
    availability = Availability(
        time_zone="Europe/Berlin",
        weekly=tuple(WeeklyRule(day, time(8), time(20)) for day in range(7)),
        policy=SchedulingPolicy(
            min_notice=timedelta(hours=12),
            horizon=timedelta(days=60),
            buffer=timedelta(minutes=10),
            slot_step=timedelta(minutes=15),
            daily_cap=8,
        ),
    )
    imported = []
    for _ in range(2000):
        start = NOW + timedelta(minutes=15 * rng.randrange(60 * 24 * 4))
        imported.append(Interval(start, start + timedelta(minutes=rng.choice([15, 30, 60]))))

    def median(busy):
        timings = []
        for _ in range(runs):
            began = clock.perf_counter()
            compute_slots(
                availability=availability,
                duration=timedelta(hours=1),
                range_start=NOW,
                range_end=NOW + timedelta(days=7),
                now=NOW,
                busy=busy,
            )
            timings.append((clock.perf_counter() - began) * 1000)
        return statistics.median(timings)

    none, many = median([]), median(imported)
    print(
        f"a week of slots: no imported blocks {none:.2f} ms, 2,000 blocks {many:.2f} ms: {many / none:.2f}x (bar <= 2x)"
    )


def main() -> None:
    parse_bench()
    not_modified_bench()
    slots_bench()


if __name__ == "__main__":
    main()
