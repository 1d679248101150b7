"""The anonymous page cache over HTTP: cached pages against the same pages uncached and a static file.

gunicorn (production settings, 2 gthread workers × 4 threads, Redis cache) over a SQLite demo
database, driven by wrk with 8 connections on loopback. Run on demand; it seeds the demo
database once (``seed_demo``, a few minutes) and keeps it:

    .venv/bin/python benchmarks/page_cache.py            # 5 s a URL
    BENCH_SECONDS=10 BENCH_PORT=8112 .venv/bin/python benchmarks/page_cache.py

Uncached means the same page with ``?nocache=1``: an unknown parameter is rendered in full and
never stored (core.page_cache), so both columns run the same middleware, templates and queries
but for the store. Prints requests a second, p50 and p99 latency and the ratio to the static file
(WhiteNoise, through the same server). Figures depend on the machine's load; quote them with it.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8111"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
WORKDIR = Path(os.environ.get("BENCH_DIR", "/tmp/taptime_page_cache_bench"))  # noqa: S108 (a local bench)
PY = str(ROOT / ".venv" / "bin" / "python")
WRK = shutil.which("wrk") or "wrk"
FEEDS = {"/blog/rss/", "/blog/atom/"}


def env() -> dict[str, str]:
    base = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{WORKDIR / 'db.sqlite3'}",
        "MEDIA_ROOT": str(WORKDIR / "media"),
        "PRIVATE_MEDIA_ROOT": str(WORKDIR / "media-private"),
        "LOG_LEVEL": "WARNING",
    }
    return base


def production_env() -> dict[str, str]:
    return {
        **env(),
        "DJANGO_SETTINGS_MODULE": "taptime.settings.production",
        "SECRET_KEY": "local-bench-only-not-for-internet",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BASE_URL": f"http://127.0.0.1:{PORT}",
        "SECURE_SSL_REDIRECT": "False",
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "SECURE_HSTS_SECONDS": "0",
        "ALLOW_CONSOLE_EMAIL": "True",
        "ALLOW_TEST_PAYMENTS": "True",
        "SERVE_MEDIA": "True",
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11"),
        # A throw-away Fernet key: the demo database holds no second factors to decrypt.
        "MFA_ENCRYPTION_KEYS": os.environ.get("MFA_ENCRYPTION_KEYS") or Fernet.generate_key().decode(),
    }


def seed() -> None:
    if (WORKDIR / "db.sqlite3").exists():
        return
    WORKDIR.mkdir(parents=True, exist_ok=True)
    demo = {**env(), "DJANGO_SETTINGS_MODULE": "taptime.settings.dev"}
    manage = [PY, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=demo, check=True)  # noqa: S603 (fixed)
    subprocess.run([*manage, "seed_demo"], cwd=ROOT, env=demo, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def get(path: str) -> tuple[int, dict[str, str], str]:
    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=30) as response:  # noqa: S310 - loopback
        return response.status, dict(response.headers), response.read().decode(errors="replace")


def wrk(path: str) -> tuple[float, str, str]:
    out = subprocess.run(  # noqa: S603 (Debian's wrk, fixed arguments)
        [WRK, "-t2", "-c8", f"-d{SECONDS}s", "--latency", f"http://127.0.0.1:{PORT}{path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+(\S+)", out).group(1)
    p99 = re.search(r"99%\s+(\S+)", out).group(1)
    if "Non-2xx" in out:
        raise RuntimeError(f"{path}: non-2xx answers\n{out}")
    return rate, p50, p99


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    seed()
    prod = production_env()
    if os.environ.get("BENCH_COLLECTSTATIC", "1") != "0":  # 0: the manifest from the last run is current
        collect = [PY, "manage.py", "collectstatic", "--noinput", "-v0"]
        subprocess.run(collect, cwd=ROOT, env=prod, check=True)  # noqa: S603 (fixed arguments)
    server = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "taptime.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            os.environ.get("BENCH_WORKERS", "2"),
            "--worker-class",
            "gthread",
            "--threads",
            "4",
        ],
        cwd=ROOT,
        env=prod,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                get("/static/css/main.css")
                break
            except OSError:
                time.sleep(0.3)
        _status, _headers, browse = get("/experts/")
        expert = re.search(r'href="(/experts/[a-z0-9-]+/)"', browse).group(1)
        _status, _headers, blog = get("/blog/")
        post = next(link for link in re.findall(r'href="(/blog/[a-z0-9-]+/)"', blog) if link not in FEEDS)
        rows = [("static file /static/css/main.css", "/static/css/main.css")]
        for name, path in (("home", "/"), ("expert page", expert), ("blog post", post)):
            rows.append((f"{name} cached", path))
            rows.append((f"{name} uncached", path + "?nocache=1"))
        results = []
        for name, path in rows:
            for _ in range(3):
                _status, headers, _body = get(path)  # warm (and store, for the cached rows)
            if "cached" in name and "uncached" not in name:
                assert headers.get("X-Page-Cache") == "hit", (path, headers)
            results.append((name, path, *wrk(path)))
        static_rate = results[0][2]
        print(f"wrk -t2 -c8 -d{SECONDS}s, gunicorn 2 gthread workers x 4 threads, production settings, Redis cache")
        print(f"{'':38} {'req/s':>9} {'p50':>9} {'p99':>9} {'x static':>9}")
        for name, _path, rate, p50, p99 in results:
            print(f"{name:38} {rate:9.0f} {p50:>9} {p99:>9} {rate / static_rate:9.2f}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
