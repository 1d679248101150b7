#!/usr/bin/env bash
# The mixed load test on a running stack (scripts/stack.sh in another terminal), then the checks.
#
#   benchmarks/stack_load.sh                         200 users, 5 minutes (the issue's bar)
#   LOAD_USERS=50 LOAD_TIME=60s benchmarks/stack_load.sh   a short run on a busy machine
#   LOAD_KILL_WEB=1 benchmarks/stack_load.sh         SIGKILL web 1 (master and workers) halfway
#
# Loopback only (the locustfile refuses any other host). Prints locust's table, the 5xx the
# load balancer logged, and benchmarks/stack_check.py's lines (double booking, emails and
# reminders exactly once). Exits non-zero when a check fails.
set -euo pipefail
cd "$(dirname "$0")/.."
STATE=.stack
STACK_PORT="${STACK_PORT:-8080}"
LOAD_USERS="${LOAD_USERS:-200}"
LOAD_TIME="${LOAD_TIME:-5m}"
LOAD_RATE="${LOAD_RATE:-20}"
[ -f "$STATE/nginx.pid" ] && curl -fso /dev/null "http://127.0.0.1:$STACK_PORT/healthz/" || {
  echo "stack_load: no stack answers on 127.0.0.1:$STACK_PORT; start scripts/stack.sh first"; exit 1; }

# The stack's environment (same secrets and database) for the seed and the checks.
# shellcheck disable=SC1091
. "$STATE/secrets.env"
export DJANGO_SETTINGS_MODULE=taptime.settings.production SECRET_KEY="${SECRET_KEY:-$STACK_SECRET_KEY}"
export MFA_ENCRYPTION_KEYS="${MFA_ENCRYPTION_KEYS:-$STACK_MFA_KEY}" ALLOWED_HOSTS=127.0.0.1,localhost
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/taptime_stack}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/8}" BASE_URL="http://127.0.0.1:$STACK_PORT"
export ALLOW_CONSOLE_EMAIL=True ALLOW_TEST_PAYMENTS=True SECURE_SSL_REDIRECT=False LOG_LEVEL=ERROR
export STRIPE_API_HOST="http://127.0.0.1:${STACK_STRIPE_PORT:-8421}"
LOAD_LEARNERS="$LOAD_USERS" .venv/bin/python -m benchmarks.stack_seed 2>/dev/null | tail -1 >"$STATE/load-accounts.json"

since=$(date -u +%Y-%m-%dT%H:%M:%S+00:00)
declare -A offsets
for log in "$STATE"/worker*.log "$STATE/nginx-access.log"; do offsets[$log]=$(stat -c %s "$log" 2>/dev/null || echo 0); done

if [ "${LOAD_KILL_WEB:-0}" = 1 ]; then
  seconds=$(.venv/bin/python -c "import re,sys; v=sys.argv[1]; n=int(re.sub(r'\D','',v)); print(n*60//2 if v.endswith('m') else n//2)" "$LOAD_TIME")
  ( sleep "$seconds"; pid=$(cat "$STATE/web1.pid"); echo "stack_load: SIGKILL web 1 (process group $pid) at $(date -u +%T)";
    kill -KILL -- "-$pid" ) &
fi
LOAD_ACCOUNTS="$STATE/load-accounts.json" .venv/bin/locust -f benchmarks/locustfile.py --headless --only-summary \
  -H "http://127.0.0.1:$STACK_PORT" -u "$LOAD_USERS" -r "$LOAD_RATE" --run-time "$LOAD_TIME" \
  --stop-timeout 10 --csv "$STATE/load" 2>&1 | grep -v "^\[" || true
wait

echo "stack_load: 5xx at the load balancer during the run:"
tail -c +"$((${offsets[$STATE/nginx-access.log]} + 1))" "$STATE/nginx-access.log" >"$STATE/run-access.log"
grep -c '"status":5' "$STATE/run-access.log" || true
grep '"status":5' "$STATE/run-access.log" | head -5 || true
.venv/bin/python -m benchmarks.stack_reminders "$since" 2>/dev/null | tail -1
echo "stack_load: waiting 70 s for the outbox to drain and the reminder jobs to run…"
sleep 70
excerpts=()
for log in "$STATE"/worker*.log; do
  tail -c +"$((${offsets[$log]:-0} + 1))" "$log" >"$log.run"
  excerpts+=("$log.run")
done
.venv/bin/python -m benchmarks.stack_check "$since" "${excerpts[@]}"
