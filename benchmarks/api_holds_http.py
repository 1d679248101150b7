"""Hold creation over the API: 20 learners with personal access tokens posting ``POST /api/v1/bookings/`` at once.

Run on demand (not part of pytest), on a quiet machine:

    .venv/bin/python benchmarks/api_holds_http.py
    BENCH_ROUNDS=40 BENCH_PORT=8155 .venv/bin/python benchmarks/api_holds_http.py

The API's twin of ``holds_http.py`` and built on it: the same database
(``taptime_bench_holds_http``), bench experts and learners, gunicorn with the
production settings, CPU accounting and query count. Each learner gets a token with
the ``book`` scope; their requests are prepared in advance and sent on one kept-alive
socket per learner, so the 20 client threads wait on the network, not in Python.

Scenarios (``BENCH_SCENARIOS``, default ``paced,burst``), each ``BENCH_ROUNDS`` holds per
learner, first each learner on their own expert, then all on one expert (every hold
contends for that expert's row lock):
- ``paced``: twenty people using an app together: each waits ``BENCH_THINK`` seconds
  (1-3, uniform, the same on every run) before each hold;
- ``burst``: all twenty press at the same instant (a barrier), 1 s apart.
Target (issue 19): p95 <= 100 ms. On two cores a simultaneous burst cannot meet it: a hold
costs CPU that twenty requests at once queue for (RESULTS.md, "Holds over HTTP").
"""

from __future__ import annotations

import json
import os
import random
import socket
import statistics
import sys
import threading
import time as clock
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BENCH_PORT", "8155")

from benchmarks import holds_http as site  # noqa: E402  (sets the server's environment first)

# One learner posts ROUNDS holds in a few seconds: lift the API's per-user throttle for the run.
os.environ.update({"API_THROTTLE_ANON": "1000000/min", "API_THROTTLE_USER": "1000000/min"})


def read_answer(sock) -> tuple[int, bytes]:
    sock_data = b""
    while b"\r\n\r\n" not in sock_data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("server closed the connection")
        sock_data += chunk
    head, _, body = sock_data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {line.split(": ", 1)[0].lower(): line.split(": ", 1)[1] for line in lines[1:] if ": " in line}
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        body += sock.recv(65536)
    return int(lines[0].split()[1]), body


def burst(*, experts, tokens, one_expert: bool, paced: bool) -> None:
    site.expire_bench_holds()
    from django.db import connections

    connections.close_all()
    begin = site.first_slot()
    count = len(tokens)
    timings: list[float] = []
    outcomes: dict[str, int] = {}
    guard = threading.Lock()
    barrier = threading.Barrier(count)
    slugs = [profile.pages.get().slug for profile in experts]

    def learner_run(index: int) -> None:
        slug = slugs[0] if one_expert else slugs[1 + index]
        prepared = []
        for round_number in range(site.ROUNDS):
            # A distinct half hour per (learner, round): nobody competes for a slot, only for the lock.
            number = index + count * round_number if one_expert else round_number
            start = begin + timedelta(days=number // 47, minutes=30 * (number % 47))
            body = json.dumps({"expert": slug, "length": 30, "start": start.isoformat()})
            prepared.append(
                (
                    f"POST /api/v1/bookings/ HTTP/1.1\r\nHost: 127.0.0.1:{site.PORT}\r\n"
                    f"Authorization: Bearer {tokens[index]}\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n{body}"
                ).encode()
            )
        pacing = random.Random(index)
        with socket.create_connection(("127.0.0.1", site.PORT)) as sock:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for request in prepared:
                if paced:
                    clock.sleep(pacing.uniform(*site.THINK))
                else:
                    barrier.wait()
                began = clock.perf_counter()
                sock.sendall(request)
                status, answer = read_answer(sock)
                took = (clock.perf_counter() - began) * 1000
                kind = "held" if status == 201 else f"{status} {answer[:60]!r}"
                with guard:
                    timings.append(took)
                    outcomes[kind] = outcomes.get(kind, 0) + 1
                if not paced:
                    clock.sleep(1.0)

    threads = [threading.Thread(target=learner_run, args=(index,)) for index in range(count)]
    before = site.cpu_seconds()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    label = "all on one expert (every hold contends for its lock)" if one_expert else "each on their own expert"
    how = (
        f"each thinking {site.THINK[0]:g}-{site.THINK[1]:g} s before every hold"
        if paced
        else "pressing hold at the same instant, 1 s apart"
    )
    print(f"{count} learners x {site.ROUNDS} holds, {how}, {label}: {outcomes}")
    print(
        f"  POST /api/v1/bookings/  p50 {statistics.median(timings):6.1f} ms  p95 {site.percentile(timings, 0.95):6.1f} ms"
        f"  p99 {site.percentile(timings, 0.99):6.1f} ms  max {max(timings):6.1f} ms"
    )
    site.report_cpu(before, len(timings))


def count_queries(experts, learner) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from accounts.services import api_token_create

    site.expire_bench_holds()
    client = APIClient(HTTP_HOST="127.0.0.1")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=learner, name='count', scopes=['book'])[1]}")
    slug = experts[0].pages.get().slug
    start = site.first_slot() + timedelta(days=3, hours=5)
    client.post("/api/v1/bookings/", {"expert": slug, "length": 30, "start": start.isoformat()}, format="json")
    later = {"expert": slug, "length": 30, "start": (start + timedelta(hours=1)).isoformat()}
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/api/v1/bookings/", later, format="json")
    print(f"queries: API hold POST {len(captured)} (status {response.status_code})")
    site.expire_bench_holds()


def main() -> None:
    site.ensure_database()
    site.collect_static()
    site.forget_sign_ins()
    import django

    django.setup()
    from accounts.services import api_token_create

    experts, learners = site.seed()
    for learner in learners:
        learner.personal_api_tokens.all().delete()  # one token per run and learner
    tokens = [api_token_create(user=learner, name="bench", scopes=["book"])[1] for learner in learners]
    server = site.start_server()
    try:
        print(
            f"gunicorn gthread {site.WORKERS} workers x {site.THREADS} threads on port {site.PORT}, production settings"
        )
        for scenario in os.environ.get("BENCH_SCENARIOS", "paced,burst").split(","):
            burst(experts=experts, tokens=tokens, one_expert=False, paced=scenario == "paced")
            burst(experts=experts, tokens=tokens, one_expert=True, paced=scenario == "paced")
    finally:
        server.terminate()
        server.wait(timeout=30)
    count_queries(experts, learners[0])
    print(f"load average (1, 5, 15 min): {' '.join(f'{v:.2f}' for v in os.getloadavg())} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
