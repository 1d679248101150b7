# Sourced by browse_http.sh and api_http.sh: the production settings on loopback, gunicorn on
# $PORT over the benchmark database, and a wrk script that prints p50/p95/p99, requests, non-2xx.
# Sets: $server (gunicorn's pid, stopped on exit) and $script (the wrk script, removed on exit).
export DJANGO_SETTINGS_MODULE=taptime.settings.production
export DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/taptime_bench_browse}"
export SECRET_KEY="local-bench-only-not-for-internet" ALLOWED_HOSTS="127.0.0.1,localhost"
export SECURE_SSL_REDIRECT=False SESSION_COOKIE_SECURE=False CSRF_COOKIE_SECURE=False SECURE_HSTS_SECONDS=0
export CONN_MAX_AGE=60 LOG_LEVEL=WARNING REDIS_URL="${BENCH_REDIS_URL:-redis://127.0.0.1:6379/6}"
# Production settings refuse these outside a loopback run (see taptime/settings/production.py).
export BASE_URL="http://127.0.0.1:$PORT" ALLOW_CONSOLE_EMAIL=True ALLOW_TEST_PAYMENTS=True
# A throw-away key: the bench database holds no second factors to decrypt.
export MFA_ENCRYPTION_KEYS="${MFA_ENCRYPTION_KEYS:-$(.venv/bin/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')}"

bench_serve() {  # bench_serve <a URL path that answers 200 once the server is up>
  .venv/bin/python manage.py collectstatic --noinput -v0
  .venv/bin/gunicorn taptime.wsgi --bind "127.0.0.1:$PORT" --workers "${BENCH_WORKERS:-2}" \
    --worker-class gthread --threads "${BENCH_THREADS:-4}" >/dev/null 2>&1 &
  server=$!
  script=$(mktemp --suffix=.lua)
  trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -f "$script"' EXIT
  for _ in $(seq 1 100); do curl -fso /dev/null "http://127.0.0.1:$PORT$1" && break; sleep 0.3; done
  cat >"$script" <<'LUA'
function done(summary, latency, requests)
  io.write(string.format("%8.1f %8.1f %8.1f %9d %6d\n", latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.requests, summary.errors.status))
end
LUA
}
