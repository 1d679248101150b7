#!/usr/bin/env bash
# The API over HTTP: gunicorn with the production settings serves the 10,000-expert
# benchmark database (made by benchmarks/browse.py, with the 500-booking learner of
# benchmarks/api.py) and wrk (its own process) asks for each URL from one connection,
# one request after the other, BENCH_SECONDS (default 10) each. Prints p50/p95/p99 per URL.
# The issue's bar: p95 <= 30 ms for experts/ with filters and for bookings/ of that learner.
#
#   .venv/bin/python benchmarks/api.py     # once: seeds, gives the learner 500 bookings
#   benchmarks/api_http.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is not installed (Debian: apt-get install wrk)" >&2; exit 2; }
PORT="${BENCH_PORT:-8154}"
SECONDS_PER_URL="${BENCH_SECONDS:-10}"
# shellcheck source=benchmarks/http_env.sh
source benchmarks/http_env.sh
# One client hammering one URL would meet the throttles; raise them for the run only.
export API_THROTTLE_ANON="1000000/min" API_THROTTLE_USER="1000000/min"
# A fresh read token for the bench learner (benchmarks/api.py made the learner and the bookings).
token=$(.venv/bin/python - <<'PY'
import django
django.setup()
from accounts.models import User
from accounts.services import api_token_create
learner = User.objects.get(email="bench.api.learner@taptime.example")
learner.personal_api_tokens.all().delete()
print(api_token_create(user=learner, name="bench-http", scopes=["read"])[1])
PY
)
bench_serve "/api/v1/categories/"
public=(
  "/api/v1/experts/"
  "/api/v1/experts/?category=data-and-ai&language=en&sort=price_asc"
  "/api/v1/experts/?price_min=30&price_max=150&sort=rating"
  "/api/v1/experts/?q=data&language=en&sort=rating"
  "/api/v1/experts/?available=7&sort=rating"
  "/api/v1/experts/?sort=price_asc&page_size=50"
)
mine=("/api/v1/bookings/" "/api/v1/bookings/?status=completed" "/api/v1/bookings/?page_size=50")
echo "gunicorn gthread ${BENCH_WORKERS:-2}x${BENCH_THREADS:-4}, production settings, one wrk connection, ${SECONDS_PER_URL} s per URL"
printf "%-70s %8s %8s %8s %9s %6s\n" URL "p50 ms" "p95 ms" "p99 ms" requests non2xx
run() {
  local url=$1
  shift
  curl -fso /dev/null "$@" "http://127.0.0.1:$PORT$url"  # warm the process, like any visited URL
  printf "%-70s " "$url"
  wrk -t1 -c1 -d"${SECONDS_PER_URL}s" -s "$script" "$@" "http://127.0.0.1:$PORT$url" | tail -1
}
for url in "${public[@]}"; do run "$url"; done
for url in "${mine[@]}"; do run "$url" -H "Authorization: Bearer $token"; done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
