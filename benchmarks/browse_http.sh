#!/usr/bin/env bash
# Browse over HTTP: gunicorn with the production settings serves the 10,000-expert
# benchmark database (made by benchmarks/browse.py) and wrk (Debian's package, C, its
# own process) asks for each browse URL from one connection, one request after the
# other, for BENCH_SECONDS (default 10) each. Prints p50/p95/p99 per URL.
#
#   benchmarks/browse_http.sh
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_browse_final BENCH_PORT=8153 benchmarks/browse_http.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is not installed (Debian: apt-get install wrk)" >&2; exit 2; }
PORT="${BENCH_PORT:-8153}"
SECONDS_PER_URL="${BENCH_SECONDS:-10}"
export DJANGO_SETTINGS_MODULE=taptime.settings.production
export DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/taptime_bench_browse}"
export SECRET_KEY="local-bench-only-not-for-internet" ALLOWED_HOSTS="127.0.0.1,localhost"
export SECURE_SSL_REDIRECT=False SESSION_COOKIE_SECURE=False CSRF_COOKIE_SECURE=False SECURE_HSTS_SECONDS=0
export CONN_MAX_AGE=60 LOG_LEVEL=WARNING REDIS_URL="${BENCH_REDIS_URL:-redis://127.0.0.1:6379/6}"
# Production settings refuse these outside a loopback run (see taptime/settings/production.py).
export BASE_URL="http://127.0.0.1:$PORT" ALLOW_CONSOLE_EMAIL=True ALLOW_TEST_PAYMENTS=True
# A throw-away key: the bench database holds no second factors to decrypt.
export MFA_ENCRYPTION_KEYS="${MFA_ENCRYPTION_KEYS:-$(.venv/bin/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')}"
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/gunicorn taptime.wsgi --bind "127.0.0.1:$PORT" --workers "${BENCH_WORKERS:-2}" \
  --worker-class gthread --threads "${BENCH_THREADS:-4}" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 1 100); do curl -fso /dev/null "http://127.0.0.1:$PORT/experts/" && break; sleep 0.3; done
script=$(mktemp --suffix=.lua)
cat >"$script" <<'LUA'
function done(summary, latency, requests)
  io.write(string.format("%8.1f %8.1f %8.1f %9d %6d\n", latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.requests, summary.errors.status))
end
LUA
urls=(
  "/experts/?category=data-and-ai&language=en&rating=4&sort=price_asc"
  "/experts/?price_min=30&price_max=150&sort=rating"
  "/experts/?language=es&sort=sessions"
  "/experts/software-development/?sort=price_desc"
  "/experts/"
  "/experts/?q=data&language=en&sort=rating"
  "/experts/?available=7&sort=rating&tz=Europe/Berlin"
  "/experts/ezra-expert/"
)
echo "gunicorn gthread ${BENCH_WORKERS:-2}x${BENCH_THREADS:-4}, production settings, one wrk connection, ${SECONDS_PER_URL} s per URL"
printf "%-70s %8s %8s %8s %9s %6s\n" URL "p50 ms" "p95 ms" "p99 ms" requests non2xx
for url in "${urls[@]}"; do
  curl -fso /dev/null "http://127.0.0.1:$PORT$url"  # warm the process and the count cache, like any visited page
  printf "%-70s " "$url"
  wrk -t1 -c1 -d"${SECONDS_PER_URL}s" -s "$script" "http://127.0.0.1:$PORT$url" | tail -1
done
rm -f "$script"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
