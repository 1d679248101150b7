"""Where one page's time goes: templates, SQL and Python calls, on the browse benchmark database.

Run on demand after ``benchmarks/browse.py`` has seeded its database:

    .venv/bin/python benchmarks/profile_page.py "/experts/?language=es&sort=sessions"
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/other .venv/bin/python benchmarks/profile_page.py /experts/ 50

Requests the URL through Django's test Client (5 warm-up requests, then N timed ones,
default 40) and prints: the mean request time, the time spent in SQL, each template's
inclusive render time and render count per request, and the Python function calls per
request (cProfile) — a figure that hardly moves with machine load, unlike milliseconds.
``BENCH_PROFILE_TOP=30`` also prints cProfile's 30 heaviest functions, inclusive and own time.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/taptime_bench_browse"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taptime.settings.base")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# The render is what this measures: the anonymous page cache would answer every timed request.
os.environ.setdefault("PAGE_CACHE_SECONDS", "0")


def main() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.template import base as template_base
    from django.test import Client

    url = sys.argv[1] if len(sys.argv) > 1 else "/experts/"
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    spent: Counter[str] = Counter()
    renders: Counter[str] = Counter()
    original_render = template_base.Template._render

    def timed_render(self, context):
        started = time.perf_counter()
        try:
            return original_render(self, context)
        finally:
            name = self.origin.template_name if self.origin else "?"
            spent[name] += time.perf_counter() - started
            renders[name] += 1

    sql = [0.0]

    def timed_sql(execute, query, params, many, context):
        started = time.perf_counter()
        try:
            return execute(query, params, many, context)
        finally:
            sql[0] += time.perf_counter() - started

    client = Client()
    for _warm in range(5):
        assert client.get(url).status_code == 200
    template_base.Template._render = timed_render
    timings = []
    with connection.execute_wrapper(timed_sql):
        for _run in range(runs):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
    template_base.Template._render = original_render
    print(f"{url}: mean {statistics.mean(timings):.1f} ms, SQL {sql[0] / runs * 1000:.1f} ms per request")
    for name, seconds in spent.most_common(12):
        print(f"  {seconds / runs * 1000:7.2f} ms  x{renders[name] / runs:5.1f}  {name}")
    profiler = cProfile.Profile()
    profiler.enable()
    for _run in range(runs):
        client.get(url)
    profiler.disable()
    stats = pstats.Stats(profiler)
    print(f"Python function calls per request: {stats.total_calls / runs:,.0f}")
    top = int(os.environ.get("BENCH_PROFILE_TOP", "0"))
    if top:
        # Where the calls go: the heaviest functions by inclusive time, then by own time.
        stats.sort_stats("cumulative").print_stats(top)
        stats.sort_stats("tottime").print_stats(top)


if __name__ == "__main__":
    main()
