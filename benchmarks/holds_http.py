"""Hold creation over HTTP: 20 signed-in learners posting the booking form at once.

Run on demand (not part of pytest):

    .venv/bin/python benchmarks/holds_http.py
    BENCH_ROUNDS=40 BENCH_PORT=8153 .venv/bin/python benchmarks/holds_http.py

What it does:
- creates (or reuses) its own PostgreSQL database (``BENCH_DATABASE_URL``, default
  ``taptime_bench_holds_http``), migrates it and runs the demo seed once;
- adds 21 bench experts (open every day 00:00-23:30 UTC, 30-minute sessions, no
  notice, no buffer) and 20 bench learners with passwords, once;
- starts gunicorn with the production settings (DEBUG off, WhiteNoise manifest
  storage after ``collectstatic``, persistent database connections, HTTPS
  redirect off for loopback), ``gthread`` workers, on ``BENCH_PORT`` (8151-8159);
- signs every learner in through the login form (``requests.Session``: real
  cookies and CSRF tokens), then 20 threads post holds for distinct free slots,
  ``BENCH_ROUNDS`` each (after a one-learner baseline), first all on one expert (every hold contends for that
  expert's row lock: the worst case), then each learner on their own expert;
- times every POST (the hold; redirect not followed) and, separately, the GET of
  the page it redirects to (the review page), and prints p50/p95/p99 and throughput;
- counts the queries of one hold request and one review page in-process (Django
  test client over the same database and settings).

Holds left by a previous scenario are expired first (what the expiry job does
after ``BOOKING_HOLD_MINUTES``), so the same slots can be held again.
Target: p95 <= 100 ms for the hold POST. Figures depend on the machine's load:
quote the load average with them (printed at the end).
"""

from __future__ import annotations

import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time as clock
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import requests
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/taptime_bench_holds_http")
PORT = int(os.environ.get("BENCH_PORT", "8152"))
USERS = int(os.environ.get("BENCH_USERS", "20"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
THREADS = os.environ.get("BENCH_THREADS", "10")
# Seconds a learner spends reading the free times before holding one (uniform range).
THINK = tuple(float(part) for part in os.environ.get("BENCH_THINK", "1,3").split(","))
SCENARIOS = os.environ.get("BENCH_SCENARIOS", "alone,paced,burst,wrk,crowd").split(",")
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "10"))
PASSWORD = "bench-password-not-secret-42"  # noqa: S105 (throw-away bench accounts on loopback)
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "taptime.settings.production",
    "SECRET_KEY": "local-bench-only-not-for-internet",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DATABASE_URL": DATABASE_URL,
    "SECURE_SSL_REDIRECT": "False",
    "SESSION_COOKIE_SECURE": "False",
    "CSRF_COOKIE_SECURE": "False",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
    # Production runs with Redis: cache, sessions (cache backend) and the django-q2 broker.
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7"),
    # Production settings refuse these outside a loopback run (see taptime/settings/production.py).
    "BASE_URL": "http://127.0.0.1",
    "ALLOW_CONSOLE_EMAIL": "True",
    "ALLOW_TEST_PAYMENTS": "True",
    # A throw-away key: the bench database holds no second factors to decrypt.
    "MFA_ENCRYPTION_KEYS": os.environ.get("MFA_ENCRYPTION_KEYS") or Fernet.generate_key().decode(),
    # Every learner holds round after round without paying: lift the velocity limits (their query still runs).
    "BOOKING_HOLDS_PER_HOUR": "1000000",
    "BOOKING_UNPAID_HOLDS_PER_EXPERT_PER_DAY": "1000000",
}
os.environ.update(SERVER_ENV)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def ensure_database() -> None:
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def seed() -> tuple[list, list]:
    """The bench experts (index 0 is the popular one) and learners, created once."""
    from allauth.account.models import EmailAddress
    from django.core.management import call_command

    from accounts.models import User
    from bookings.services import scheduling_policy_update, weekly_hours_replace
    from core.money import Money
    from marketplace.models import ExpertIndexPage, ExpertPage
    from marketplace.services import expert_profile_create, session_type_create

    call_command("migrate", verbosity=0)
    if not ExpertPage.objects.exists():
        call_command("seed_demo", verbosity=0, allow_production=True)
    index = ExpertIndexPage.objects.get()
    experts = []
    for number in range(USERS + 1):
        email = f"bench-expert-{number}@example.com"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=None, full_name=f"Bench Expert {number}")
            profile = expert_profile_create(
                user=user, index_page=index, headline="Benchmark expert", currency="EUR", time_zone="UTC"
            )
            session_type_create(profile=profile, duration_minutes=30, price=Money.from_major("50", "EUR"))
            weekly_hours_replace(profile=profile, windows=[(day, time(0), time(23, 30)) for day in range(7)])
            scheduling_policy_update(
                profile=profile, min_notice_hours=0, horizon_days=120, buffer_minutes=0, slot_step_minutes=30
            )
        experts.append(user.expert_profile)
    learners = []
    for number in range(USERS):
        email = f"bench-learner-{number}@example.com"
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, password=PASSWORD, full_name=f"Bench Learner {number}", time_zone="UTC"
        )
        # Signing in needs a verified address (mandatory email verification).
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        learners.append(user)
    return experts, learners


def expire_bench_holds() -> int:
    from bookings.models import Booking

    return Booking.objects.filter(expert__email__startswith="bench-expert-", status=Booking.Status.HELD).update(
        status=Booking.Status.EXPIRED
    )


def collect_static() -> None:
    """Before anything in this process reads the manifest (the in-process query count renders pages too)."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True, env=os.environ
    )


def start_server() -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
        [
            str(gunicorn),
            "taptime.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--worker-class",
            "gthread",
            "--workers",
            WORKERS,
            "--threads",
            THREADS,
            "--backlog",
            "256",
            "--keep-alive",
            "75",  # the learners' connections idle between sign-in and the run; gunicorn's 2 s would reset them
        ],
        cwd=ROOT,
        env=os.environ,
        stdout=subprocess.DEVNULL,
    )
    deadline = clock.monotonic() + 120
    while clock.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{PORT}/accounts/login/", timeout=30)
            return server
        except requests.RequestException:
            if server.poll() is not None:
                raise RuntimeError("gunicorn did not start (is the port free?)") from None
            clock.sleep(0.3)
    server.terminate()
    raise RuntimeError("gunicorn did not answer within 120 s")


def sign_in(base: str, email: str) -> requests.Session:
    browser = requests.Session()
    token = CSRF_INPUT.search(browser.get(f"{base}/accounts/login/", timeout=30).text).group(1)
    response = browser.post(
        f"{base}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "login": email, "password": PASSWORD},
        allow_redirects=False,
        timeout=30,
    )
    if response.status_code != 302 or "sessionid" not in browser.cookies:
        raise RuntimeError(f"login failed for {email}: {response.status_code} {response.headers.get('Location')}")
    return browser


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def first_slot() -> datetime:
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date()
    return datetime.combine(tomorrow, time(0), tzinfo=UTC)


def run(base: str, *, experts, learners, browsers, one_expert: bool, think: tuple[float, float] | None = None) -> None:
    expire_bench_holds()
    from django.db import connections

    connections.close_all()
    posts: list[float] = []
    follows: list[float] = []
    outcomes: dict[str, int] = {}
    guard = threading.Lock()
    barrier = threading.Barrier(len(learners) + 1)
    begin = first_slot()

    def learner_run(index: int) -> None:
        browser = browsers[index]
        profile = experts[0] if one_expert else experts[1 + index]
        page_id, csrf = profile_pages[profile.pk], browser.cookies.get("csrftoken")
        pacing = random.Random(index)  # the same think times on every run
        barrier.wait()
        for round_number in range(ROUNDS):
            if think:
                # A person: looks at the expert's free times, thinks, then picks one.
                browser.get(f"{base}{page_urls[profile.pk]}", timeout=60)
                clock.sleep(pacing.uniform(*think))
            # A distinct hour per (learner, round): nobody competes for a slot, only for the lock.
            number = index + len(learners) * round_number if one_expert else round_number
            start = begin + timedelta(days=number // 22, hours=number % 22)
            data = {"csrfmiddlewaretoken": csrf, "session": "30", "tz": "UTC", "start": start.isoformat()}
            began = clock.perf_counter()
            try:
                response = browser.post(f"{base}/experts/book/{page_id}/", data=data, allow_redirects=False, timeout=60)
            except requests.RequestException as error:
                with guard:
                    outcomes[type(error).__name__] = outcomes.get(type(error).__name__, 0) + 1
                continue
            posted = (clock.perf_counter() - began) * 1000
            location = response.headers.get("Location", "")
            kind = "held" if "/review/" in location else f"{response.status_code} {location[:40]}"
            began = clock.perf_counter()
            if location:
                browser.get(base + location, timeout=60)
            followed = (clock.perf_counter() - began) * 1000
            with guard:
                posts.append(posted)
                follows.append(followed)
                outcomes[kind] = outcomes.get(kind, 0) + 1

    profile_pages = {profile.pk: profile.pages.get().pk for profile in experts}
    page_urls = {profile.pk: profile.pages.get().url for profile in experts} if think else {}
    threads = [threading.Thread(target=learner_run, args=(index,)) for index in range(len(learners))]
    before = cpu_seconds()
    for thread in threads:
        thread.start()
    barrier.wait()
    started = clock.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = clock.perf_counter() - started
    label = "one expert (every hold contends for its lock)" if one_expert else f"{len(learners)} experts"
    if think:
        label += f", each viewing the expert page and thinking {think[0]:g}-{think[1]:g} s before every hold"
    print(f"{len(learners)} learners x {ROUNDS} holds over HTTP, {label}: {len(posts)} requests, outcomes {outcomes}")
    for name, values in (("hold POST", posts), ("review GET (redirect target)", follows)):
        print(
            f"  {name:29s} p50 {statistics.median(values):6.1f} ms  p95 {percentile(values, 0.95):6.1f} ms"
            f"  p99 {percentile(values, 0.99):6.1f} ms  max {max(values):6.1f} ms"
        )
    print(f"  throughput {len(posts) / elapsed:.1f} holds/s (each followed by its review page), wall {elapsed:.1f} s")
    report_cpu(before, len(posts))


WRK_SCRIPT = """
-- Generated by benchmarks/holds_http.py: one wrk thread per learner, each with
-- its own session cookie, CSRF token and list of distinct free slots.
local learners = {LEARNERS}
local threads = {}
local next_id = 1
function setup(thread)
  thread:set("id", next_id)
  table.insert(threads, thread)
  next_id = next_id + 1
end
function init(args)
  me = learners[id]
  sent, held, refused = 0, 0, 0
end
function request()
  sent = sent + 1
  local body = "csrfmiddlewaretoken=" .. me.csrf .. "&session=30&tz=UTC&start=" .. me.starts[sent]
  return wrk.format("POST", me.path, {
    ["Cookie"] = me.cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end
function response(status, headers, body)
  local location = headers["Location"] or ""
  if status == 302 and string.find(location, "/review/", 1, true) then held = held + 1 else
    refused = refused + 1
    if refused == 1 then io.stderr:write("first refusal: " .. status .. " " .. location .. "\\n") end
  end
end
function done(summary, latency, requests)
  local held_total, refused_total = 0, 0
  for _, thread in ipairs(threads) do
    held_total = held_total + thread:get("held")
    refused_total = refused_total + thread:get("refused")
  end
  io.write(string.format("WRK %d %d %.2f %.2f %.2f %.2f %.2f %d\\n",
    held_total, refused_total, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.duration / 1e6, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def run_wrk(base: str, *, experts, learners, browsers, one_expert: bool, seconds: int) -> None:
    """Holds back to back from wrk (C, its own process): the load generator costs next to nothing."""
    from urllib.parse import quote

    expire_bench_holds()
    from django.db import connections

    connections.close_all()
    begin = first_slot()
    per_learner = 5000 // len(learners) if one_expert else 5000  # within the 120-day horizon
    entries = []
    for index, browser in enumerate(browsers):
        profile = experts[0] if one_expert else experts[1 + index]
        numbers = (index + len(learners) * n if one_expert else n for n in range(per_learner))
        starts = ", ".join(
            # 47 half-hour slots a day: the hours end at 23:30, so the last session starts at 23:00.
            '"' + quote((begin + timedelta(days=number // 47, minutes=30 * (number % 47))).isoformat(), safe="") + '"'
            for number in numbers
        )
        csrf = browser.cookies.get("csrftoken")
        cookie = f"sessionid={browser.cookies.get('sessionid')}; csrftoken={csrf}"
        entries.append(
            f'{{cookie = "{cookie}", csrf = "{csrf}", path = "/experts/book/{profile.pages.get().pk}/", starts = {{{starts}}}}}'
        )
    wrk = shutil.which("wrk")
    if wrk is None:
        print("wrk is not installed (Debian: apt-get install wrk): skipping the wrk scenario")
        return
    count = len(learners)
    before = cpu_seconds()
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT.replace("{LEARNERS}", "{" + ",\n".join(entries) + "}"))
        script.flush()
        output = subprocess.run(  # noqa: S603 (Debian's wrk, fixed arguments)
            [wrk, "-t", str(count), "-c", str(count), "-d", f"{seconds}s", "--timeout", "10s", "-s", script.name, base],
            stdout=subprocess.PIPE,
            text=True,
            check=True,
        ).stdout
    clock.sleep(1)  # requests still in flight when wrk stopped finish before the next scenario expires holds
    line = next(row for row in output.splitlines() if row.startswith("WRK "))
    held, refused, p50, p95, p99, worst, duration, errors = line.split()[1:]
    label = "one expert (every hold contends for its lock)" if one_expert else f"{count} experts"
    print(
        f"{count} learners holding back to back for {seconds} s (wrk), {label}: {held} held, {refused} refused, {errors} errors"
    )
    print(
        f"  hold POST                     p50 {float(p50):6.1f} ms  p95 {float(p95):6.1f} ms  p99 {float(p99):6.1f} ms  max {float(worst):6.1f} ms"
    )
    print(f"  throughput {int(held) / float(duration):.1f} holds/s")
    report_cpu(before, int(held) + int(refused))


def raw_post(sock, request: bytes) -> tuple[int, str]:
    """Send one prepared HTTP/1.1 request on a kept-alive socket; the status and Location of the answer."""
    sock.sendall(request)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("server closed the connection")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    length = int(headers.get("Content-Length", "0"))
    while len(body) < length:
        body += sock.recv(65536)
    return int(lines[0].split()[1]), headers.get("Location", "")


def run_burst(base: str, *, experts, learners, browsers, rounds: int, pause: float) -> None:
    """Every learner presses "hold" at the same instant, ``rounds`` times, ``pause`` seconds apart.

    The client is a bare socket per learner with its requests prepared in advance,
    so the 20 client threads spend their time waiting on the network, not in Python.
    """
    import socket
    from urllib.parse import urlencode

    expire_bench_holds()
    from django.db import connections

    connections.close_all()
    begin = first_slot()
    count = len(learners)
    timings: list[float] = []
    outcomes: dict[str, int] = {}
    guard = threading.Lock()
    barrier = threading.Barrier(count)

    def learner_run(index: int) -> None:
        browser = browsers[index]
        csrf = browser.cookies.get("csrftoken")
        cookie = f"sessionid={browser.cookies.get('sessionid')}; csrftoken={csrf}"
        path = f"/experts/book/{experts[1 + index].pages.get().pk}/"
        requests_ready = []
        for number in range(rounds):
            start = begin + timedelta(days=number // 47, minutes=30 * (number % 47))
            body = urlencode({"csrfmiddlewaretoken": csrf, "session": "30", "tz": "UTC", "start": start.isoformat()})
            requests_ready.append(
                (
                    f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{PORT}\r\nCookie: {cookie}\r\n"
                    f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n{body}"
                ).encode()
            )
        with socket.create_connection(("127.0.0.1", PORT)) as sock:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for request in requests_ready:
                barrier.wait()
                began = clock.perf_counter()
                status, location = raw_post(sock, request)
                took = (clock.perf_counter() - began) * 1000
                kind = "held" if status == 302 and "/review/" in location else f"{status} {location[:40]}"
                with guard:
                    timings.append(took)
                    outcomes[kind] = outcomes.get(kind, 0) + 1
                clock.sleep(pause)

    threads = [threading.Thread(target=learner_run, args=(index,)) for index in range(count)]
    before = cpu_seconds()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(
        f"{count} learners pressing hold at the same instant, {rounds} times {pause:g} s apart, "
        f"each on their own expert: outcomes {outcomes}"
    )
    print(
        f"  hold POST                     p50 {statistics.median(timings):6.1f} ms  p95 {percentile(timings, 0.95):6.1f} ms"
        f"  p99 {percentile(timings, 0.99):6.1f} ms  max {max(timings):6.1f} ms"
    )
    report_cpu(before, len(timings))


def count_queries(experts, learners) -> None:
    """Queries of one hold request and of the review page, in-process over the same database."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    expire_bench_holds()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(learners[0])
    page_id = experts[0].pages.get().pk
    start = first_slot() + timedelta(days=3, hours=5)
    # One hold first, so the figures are a warm process's (site root paths cached, as in gunicorn).
    client.post(f"/experts/book/{page_id}/", {"session": "30", "tz": "UTC", "start": start.isoformat()})
    data = {"session": "30", "tz": "UTC", "start": (start + timedelta(hours=1)).isoformat()}
    with CaptureQueriesContext(connection) as hold_queries:
        response = client.post(f"/experts/book/{page_id}/", data)
    with CaptureQueriesContext(connection) as review_queries:
        client.get(response["Location"])
    print(f"queries: hold POST {len(hold_queries)}, review GET {len(review_queries)}")
    if os.environ.get("BENCH_SHOW_QUERIES"):
        for query in hold_queries.captured_queries:
            print("   ", query["sql"][:160])
    expire_bench_holds()


def cpu_seconds() -> dict[int, tuple[str, float]]:
    """CPU seconds used so far by each gunicorn and PostgreSQL process (Linux /proc), by pid."""
    found = {}
    tick = os.sysconf("SC_CLK_TCK")
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                command = handle.read()
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        kind = "gunicorn" if b"gunicorn" in command else "postgres" if command.startswith(b"postgres") else None
        if kind:
            found[int(pid)] = (kind, (int(fields[11]) + int(fields[12])) / tick)
    return found


def report_cpu(before: dict[int, tuple[str, float]], holds: int) -> None:
    """CPU per hold over the scenario. A process that exited meanwhile is missing: read it as "at least"."""
    used = {"gunicorn": 0.0, "postgres": 0.0}
    for pid, (kind, seconds) in cpu_seconds().items():
        used[kind] += seconds - before.get(pid, (kind, 0.0))[1]
    print(
        f"  CPU per hold (with whatever else the scenario requested): gunicorn {used['gunicorn'] * 1000 / max(holds, 1):.1f} ms,"
        f" PostgreSQL {used['postgres'] * 1000 / max(holds, 1):.1f} ms"
    )


def forget_sign_ins() -> None:
    """Empty the bench's own Redis database: sign-in rate limits and sessions of an earlier run."""
    import redis

    redis.Redis.from_url(SERVER_ENV["REDIS_URL"]).flushdb()


def main() -> None:
    ensure_database()
    collect_static()
    forget_sign_ins()
    import django

    django.setup()
    experts, learners = seed()
    base = f"http://127.0.0.1:{PORT}"
    server = start_server()
    try:
        browsers = [sign_in(base, learner.email) for learner in learners]
        print(f"gunicorn gthread {WORKERS} workers x {THREADS} threads on {base}, production settings")
        everyone = {"experts": experts, "learners": learners, "browsers": browsers}
        if "alone" in SCENARIOS:  # service time without queueing
            run(base, experts=experts, learners=learners[:1], browsers=browsers[:1], one_expert=True)
        if "paced" in SCENARIOS:  # the same 20 people at a human pace: they read the free times first
            run(base, **everyone, one_expert=False, think=THINK)
            run(base, **everyone, one_expert=True, think=THINK)
        if "burst" in SCENARIOS:  # all 20 press "hold" at the same instant
            run_burst(base, **everyone, rounds=ROUNDS, pause=1.0)
        if "wrk" in SCENARIOS:  # back to back from wrk: the server's limit, the client costs next to nothing
            run_wrk(base, **everyone, one_expert=False, seconds=WRK_SECONDS)
            run_wrk(base, **everyone, one_expert=True, seconds=WRK_SECONDS)
        if "crowd" in SCENARIOS:  # back to back from Python threads, each hold followed by its review page
            run(base, **everyone, one_expert=True)
            run(base, **everyone, one_expert=False)
    finally:
        server.terminate()
        server.wait(timeout=30)
    count_queries(experts, learners)
    print(
        f"load average (1, 5, 15 min): {' '.join(f'{value:.2f}' for value in os.getloadavg())} on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
