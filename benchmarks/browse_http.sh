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
# shellcheck source=benchmarks/http_env.sh
source benchmarks/http_env.sh
bench_serve "/experts/"
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
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
