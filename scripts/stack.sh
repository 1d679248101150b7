#!/usr/bin/env bash
# The scale-out stack on one machine (docs/operations.md, "The scale-out stack"):
#   nginx on $STACK_PORT  ->  web 1 on $STACK_WEB_PORT_1, web 2 on $STACK_WEB_PORT_2 (gunicorn)
#   two django-q2 clusters on the Redis broker, the machine's PostgreSQL and Redis,
#   the loopback Stripe server, all with the production settings.
#
#   scripts/stack.sh            start everything, print where, wait; Ctrl-C stops everything
#   scripts/stack.sh stop       stop a stack started from another terminal
#   scripts/stack.sh status     which of its processes run
#
# Secrets come from the environment; for a local run missing ones are generated once into
# .stack/secrets.env (git-ignored). Loopback only: every port is bound to 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
STATE="$ROOT/.stack"
PY="$ROOT/.venv/bin/python"
STACK_PORT="${STACK_PORT:-8080}"
STACK_WEB="${STACK_WEB:-2}"                    # web processes (1 or 2)
STACK_WEB_PORT_1="${STACK_WEB_PORT_1:-8081}"
STACK_WEB_PORT_2="${STACK_WEB_PORT_2:-8082}"
STACK_QCLUSTERS="${STACK_QCLUSTERS:-2}"        # django-q2 clusters
STACK_STRIPE_PORT="${STACK_STRIPE_PORT:-8421}"
WEB_CONCURRENCY="${WEB_CONCURRENCY:-2}"         # gunicorn workers per web process
WEB_THREADS="${WEB_THREADS:-4}"
mkdir -p "$STATE"

say() { echo "stack: $*"; }

stop_all() {
  local pidfile pid
  for pidfile in "$STATE"/*.pid; do
    [ -e "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
      say "stopping $(basename "$pidfile" .pid) ($pid)"
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  for pidfile in "$STATE"/*.pid; do
    [ -e "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    # gunicorn finishes in-flight requests for up to --graceful-timeout (20 s) first.
    for _ in $(seq 1 125); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && { say "$(basename "$pidfile" .pid) did not stop in 25 s: killing it"; kill -KILL -- "-$pid" 2>/dev/null || true; }
    rm -f "$pidfile"
  done
}

case "${1:-start}" in
  stop) stop_all; say "stopped"; exit 0 ;;
  status)
    for pidfile in "$STATE"/*.pid; do
      [ -e "$pidfile" ] || { say "not running"; exit 1; }
      pid=$(cat "$pidfile"); name=$(basename "$pidfile" .pid)
      if kill -0 "$pid" 2>/dev/null; then say "$name running ($pid)"; else say "$name NOT running"; fi
    done
    exit 0 ;;
  start) ;;
  *) echo "usage: scripts/stack.sh [start|stop|status]" >&2; exit 2 ;;
esac

# --- What the stack needs from the machine --------------------------------------------------
missing=0
command -v nginx >/dev/null || { say "nginx is missing: apt-get install -y nginx"; missing=1; }
command -v redis-cli >/dev/null || { say "Redis is missing: apt-get install -y redis-server"; missing=1; }
command -v pg_isready >/dev/null || { say "PostgreSQL is missing: apt-get install -y postgresql"; missing=1; }
[ -x .venv/bin/gunicorn ] || { say "gunicorn is missing: make serve (or pip install -r requirements/production.txt)"; missing=1; }
[ "$missing" = 0 ] || exit 1
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/taptime_stack}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/8}"
redis-cli -u "$REDIS_URL" ping >/dev/null 2>&1 || {
  say "Redis does not answer at $REDIS_URL: start it (redis-server --daemonize yes --bind 127.0.0.1) or set REDIS_URL"; exit 1; }
pg_isready -q -d "$DATABASE_URL" 2>/dev/null || pg_isready -q -h 127.0.0.1 -p 5432 || {
  say "PostgreSQL does not answer on 127.0.0.1:5432: start it (pg_ctlcluster 15 main start) or set DATABASE_URL"; exit 1; }
for pidfile in "$STATE"/*.pid; do
  [ -e "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && { say "already running (scripts/stack.sh stop)"; exit 1; }
done

# --- Secrets: from the environment, else throw-away ones for this machine -------------------
if [ ! -f "$STATE/secrets.env" ]; then
  umask 077
  "$PY" - >"$STATE/secrets.env" <<'PYTHON'
import secrets
from cryptography.fernet import Fernet
print(f"STACK_SECRET_KEY={secrets.token_urlsafe(50)}")
print(f"STACK_MFA_KEY={Fernet.generate_key().decode()}")
print(f"STACK_METRICS_TOKEN={secrets.token_urlsafe(24)}")
PYTHON
  umask 022
fi
# shellcheck disable=SC1091
. "$STATE/secrets.env"
export SECRET_KEY="${SECRET_KEY:-$STACK_SECRET_KEY}"
export MFA_ENCRYPTION_KEYS="${MFA_ENCRYPTION_KEYS:-$STACK_MFA_KEY}"
export METRICS_TOKEN="${METRICS_TOKEN:-$STACK_METRICS_TOKEN}"

# --- Production settings, on loopback -------------------------------------------------------
export DJANGO_SETTINGS_MODULE=taptime.settings.production
export ALLOWED_HOSTS="127.0.0.1,localhost"
export BASE_URL="http://127.0.0.1:$STACK_PORT"
export SECURE_SSL_REDIRECT=False SESSION_COOKIE_SECURE=False CSRF_COOKIE_SECURE=False SECURE_HSTS_SECONDS=0
export TRUSTED_PROXY_COUNT=1          # nginx appends the client's address
export CONN_MAX_AGE="${CONN_MAX_AGE:-60}"
export SERVE_MEDIA=True              # no S3/CDN here
export STRIPE_API_HOST="http://127.0.0.1:$STACK_STRIPE_PORT"
export LOCALSTRIPE_STATE="$STATE/localstripe.pickle"
# Loopback-only switches production refuses elsewhere: mail printed, the test-card form.
export ALLOW_CONSOLE_EMAIL=True ALLOW_TEST_PAYMENTS=True
export LOG_LEVEL="${LOG_LEVEL:-WARNING}"
export PROMETHEUS_MULTIPROC_DIR="$STATE/prometheus"
rm -rf "$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"

trap 'echo; stop_all; say "stopped"; exit 0' INT TERM

start() {  # start <name> <command...>: in the background, its output in .stack/<name>.log
  local name=$1; shift
  setsid "$@" >>"$STATE/$name.log" 2>&1 &
  echo $! >"$STATE/$name.pid"
  say "$name started ($!), log .stack/$name.log"
}

start localstripe "$PY" scripts/localstripe_demo.py --port "$STACK_STRIPE_PORT" --state "$LOCALSTRIPE_STATE"
for _ in $(seq 1 50); do curl -fso /dev/null "http://127.0.0.1:$STACK_STRIPE_PORT/v1/customers" -u sk_test_x: && break; sleep 0.2; done

# The database: create, migrate, seed the demo once (a sales-demo seed: --allow-production).
name=$("$PY" -c "import sys, urllib.parse; print(urllib.parse.urlsplit(sys.argv[1]).path.lstrip('/'))" "$DATABASE_URL")
admin_url="${DATABASE_URL%/*}/postgres"
if ! psql "$admin_url" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
  psql "$admin_url" -qc "CREATE DATABASE \"$name\"" && say "created database $name"
fi
"$PY" manage.py compile_translations -v0
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py shell -c "from marketplace.models import ExpertPage; import sys; sys.exit(0 if ExpertPage.objects.exists() else 3)" \
  || "$PY" manage.py seed_demo --allow-production -v0
"$PY" manage.py collectstatic --noinput -v0

ports=("$STACK_WEB_PORT_1" "$STACK_WEB_PORT_2")
upstreams=""
for i in $(seq 1 "$STACK_WEB"); do
  port=${ports[$((i - 1))]}
  start "web$i" .venv/bin/gunicorn taptime.wsgi --bind "127.0.0.1:$port" --workers "$WEB_CONCURRENCY" \
    --worker-class gthread --threads "$WEB_THREADS" --graceful-timeout 20 --access-logfile - \
    --access-logformat '{"time":"%(t)s","request_id":"%({x-request-id}i)s","status":%(s)s,"method":"%(m)s","uri":"%(U)s","duration_us":%(D)s,"web":"web'"$i"'"}'
  upstreams+="        server 127.0.0.1:$port max_fails=1 fail_timeout=5s;"$'\n'
done
for i in $(seq 1 "$STACK_QCLUSTERS"); do
  start "worker$i" "$PY" manage.py qcluster
done
sed -e "s#@STATE@#$STATE#g" -e "s#@PORT@#$STACK_PORT#g" deploy/nginx-stack.conf.template \
  | awk -v ups="$upstreams" '{ if ($0 == "@UPSTREAMS@") printf "%s", ups; else print }' >"$STATE/nginx.conf"
nginx -t -q -c "$STATE/nginx.conf" -p "$STATE" 2>>"$STATE/nginx-error.log" || { say "nginx refused its configuration: .stack/nginx-error.log"; stop_all; exit 1; }
start nginx nginx -c "$STATE/nginx.conf" -p "$STATE"

for _ in $(seq 1 150); do curl -fso /dev/null "http://127.0.0.1:$STACK_PORT/healthz/" && break; sleep 0.2; done
say "health: $(curl -s "http://127.0.0.1:$STACK_PORT/healthz/")"
say "TapTime on http://127.0.0.1:$STACK_PORT (web ${ports[*]:0:$STACK_WEB}, $STACK_QCLUSTERS workers)"
say "metrics: curl -H \"Authorization: Bearer \$STACK_METRICS_TOKEN\" http://127.0.0.1:$STACK_WEB_PORT_1/metrics  (token in .stack/secrets.env)"
say "Ctrl-C (or scripts/stack.sh stop) stops everything"
# Stay in the foreground; a web process that dies is reported, not restarted (the other serves).
# When every process is gone (scripts/stack.sh stop from another terminal), so is this script.
while true; do
  running=0
  for pidfile in "$STATE"/*.pid; do
    [ -e "$pidfile" ] || continue
    if kill -0 "$(cat "$pidfile")" 2>/dev/null; then running=1; else
      say "$(basename "$pidfile" .pid) has stopped (see its log)"; rm -f "$pidfile"; fi
  done
  [ "$running" = 1 ] || { say "nothing left running"; exit 0; }
  sleep 2 & wait $!
done
