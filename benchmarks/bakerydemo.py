"""TapTime's uncached public pages side by side with wagtail/bakerydemo's, interleaved, on one machine.

Both sites run under gunicorn (2 sync workers, each its production settings, SQLite, static files
through WhiteNoise) at the same time; wrk (2 threads, 8 connections) asks each URL in turn for
``BENCH_SECONDS``, and the whole list is repeated ``BENCH_ROUNDS`` times so that a burst of load
from elsewhere on the machine falls on both sites alike. TapTime runs with its anonymous page
cache off (``PAGE_CACHE_SECONDS=0``): every request renders. bakerydemo has no page cache.

bakerydemo is never part of this repository: fetch it outside (``/work/bakerydemo`` by default,
``BAKERYDEMO_DIR``) with its own virtualenv in ``.venv`` holding its requirements (Django 5.2
works on Python 3.11), then once:

    cd $BAKERYDEMO_DIR && DJANGO_SETTINGS_MODULE=bakerydemo.settings.production \\
      DJANGO_SECRET_KEY=bench DATABASE_NAME=$PWD/bakerydemodb \\
      sh -c '.venv/bin/python manage.py migrate && .venv/bin/python manage.py load_initial_data \\
             && .venv/bin/python manage.py collectstatic --noinput'

Then, from TapTime's folder (the TapTime demo database is seeded once, as ``page_cache.py`` does):

    .venv/bin/python benchmarks/bakerydemo.py
    BENCH_SECONDS=10 BENCH_ROUNDS=3 .venv/bin/python benchmarks/bakerydemo.py

Prints, per URL, requests a second (the median over rounds, and every round's), and the CPU
time the server's processes spent per request (from /proc, user + system), a figure that
depends far less on what else the machine runs than requests a second do. The ratio column
compares each TapTime page with bakerydemo's blog post (home with bakerydemo's home).
"""

from __future__ import annotations

import os
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.page_cache import FEEDS, PY, ROOT, WRK, production_env, seed  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
TAPTIME_PORT = int(os.environ.get("BENCH_PORT", "8121"))
BAKERY_PORT = TAPTIME_PORT + 1
BAKERY_DIR = Path(os.environ.get("BAKERYDEMO_DIR", "/work/bakerydemo"))
TICKS = os.sysconf("SC_CLK_TCK")


def start(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def gunicorn(app: str, port: int, venv: Path) -> list[str]:
    workers = os.environ.get("BENCH_WORKERS", "2")
    return [str(venv / "bin" / "gunicorn"), app, "--bind", f"127.0.0.1:{port}", "--workers", workers]


def get(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:  # noqa: S310 - loopback
        return response.read().decode(errors="replace")


def wait_up(port: int, path: str) -> None:
    for _ in range(200):
        try:
            get(port, path)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"nothing answers on port {port}")


def cpu_seconds(group: int) -> float:
    """User + system CPU of every process in the server's process group (master and workers)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:  # pgrp
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def wrk(port: int, path: str, group: int) -> tuple[float, float, str]:
    before = cpu_seconds(group)
    out = subprocess.run(  # noqa: S603 (Debian's wrk, fixed arguments)
        [WRK, "-t2", "-c8", f"-d{SECONDS}s", "--timeout", "30s", "--latency", f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    spent = cpu_seconds(group) - before
    if "Non-2xx" in out or re.search(r"Socket errors: connect [1-9]", out):
        raise RuntimeError(f"{path}: errors\n{out}")
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+(\S+)", out).group(1)
    return rate, spent / max(requests, 1) * 1000, p50


def bakery_env() -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "bakerydemo.settings.production",
        "DJANGO_SECRET_KEY": "local-bench-only",
        "DATABASE_NAME": str(BAKERY_DIR / "bakerydemodb"),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_LOG_LEVEL": "WARNING",
        "SECURE_SSL_REDIRECT": "False",
    }


def main() -> None:
    if not (BAKERY_DIR / ".venv").exists() or not (BAKERY_DIR / "bakerydemodb").exists():
        sys.exit(f"set up bakerydemo in {BAKERY_DIR} first (see this script's docstring)")
    seed()
    taptime_env = {**production_env(), "PAGE_CACHE_SECONDS": "0", "BASE_URL": f"http://127.0.0.1:{TAPTIME_PORT}"}
    if os.environ.get("BENCH_COLLECTSTATIC", "1") != "0":  # 0: the manifest from the last run is current
        collect = [PY, "manage.py", "collectstatic", "--noinput", "-v0"]
        subprocess.run(collect, cwd=ROOT, env=taptime_env, check=True)  # noqa: S603 (fixed arguments)
    taptime = start(gunicorn("taptime.wsgi", TAPTIME_PORT, ROOT / ".venv"), ROOT, taptime_env)
    bakery = start(gunicorn("bakerydemo.wsgi", BAKERY_PORT, BAKERY_DIR / ".venv"), BAKERY_DIR, bakery_env())
    try:
        wait_up(TAPTIME_PORT, "/static/css/main.css")
        wait_up(BAKERY_PORT, "/")
        expert = re.search(r'href="(/experts/[a-z0-9-]+/)"', get(TAPTIME_PORT, "/experts/")).group(1)
        blog = get(TAPTIME_PORT, "/blog/")
        post = next(link for link in re.findall(r'href="(/blog/[a-z0-9-]+/)"', blog) if link not in FEEDS)
        bakery_post = re.search(r'href="(/blog/[a-z0-9-]+/)"', get(BAKERY_PORT, "/blog/")).group(1)
        rows = [
            ("bakerydemo home", BAKERY_PORT, "/", bakery.pid),
            ("bakerydemo blog post", BAKERY_PORT, bakery_post, bakery.pid),
            ("TapTime home", TAPTIME_PORT, "/", taptime.pid),
            ("TapTime expert page", TAPTIME_PORT, expert, taptime.pid),
            ("TapTime blog post", TAPTIME_PORT, post, taptime.pid),
        ]
        for _name, port, path, _pid in rows:
            for _ in range(3):
                get(port, path)  # warm: renditions, site settings, template loaders
        results: dict[str, list[tuple[float, float, str]]] = {name: [] for name, *_ in rows}
        for _round in range(ROUNDS):
            for name, port, path, pid in rows:
                results[name].append(wrk(port, path, pid))
        medians = {name: statistics.median(rate for rate, _cpu, _p50 in runs) for name, runs in results.items()}
        cpus = {name: statistics.median(cpu for _rate, cpu, _p50 in runs) for name, runs in results.items()}
        print(f"wrk -t2 -c8 -d{SECONDS}s x {ROUNDS} rounds, interleaved; gunicorn 2 sync workers each, SQLite")
        print(f"{'':24} {'path':34} {'req/s':>7} {'CPU ms/req':>10} {'x bakery':>9} {'CPU x':>6}  rounds")
        for name, _port, path, _pid in rows:
            against = "bakerydemo home" if name.endswith("home") else "bakerydemo blog post"
            rounds = " ".join(f"{rate:.0f}" for rate, _cpu, _p50 in results[name])
            print(
                f"{name:24} {path[:34]:34} {medians[name]:7.0f} {cpus[name]:10.2f} "
                f"{medians[name] / medians[against]:9.2f} {cpus[against] / cpus[name]:6.2f}  {rounds}"
            )
        print(f"load average {os.getloadavg()[0]:.1f}")
    finally:
        for server in (taptime, bakery):
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
