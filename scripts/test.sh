#!/usr/bin/env bash
# `make test`: checks, the whole suite on PostgreSQL, and a SQLite smoke run of the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

# --- PostgreSQL: DATABASE_URL, else the server on 127.0.0.1:5432, else a throwaway cluster.
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if ! "$PY" - <<'PYEOF' 2>/dev/null
import os, sys, psycopg
from urllib.parse import urlparse
u = urlparse(os.environ["DATABASE_URL"])
try:
    psycopg.connect(host=u.hostname, port=u.port or 5432, user=u.username, password=u.password,
                    dbname=(u.path or "/postgres")[1:] or "postgres", connect_timeout=3).close()
except Exception:
    sys.exit(1)
PYEOF
then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [[ -z "$pg_bin" || ! -x "$pg_bin/initdb" ]]; then
    echo "No PostgreSQL answers at $DATABASE_URL and PostgreSQL's programs are not installed." >&2
    echo "Install them (Debian: apt-get install postgresql) or set DATABASE_URL to a server you can use." >&2
    exit 2
  fi
  tmp=$(mktemp -d)
  run_as=()
  if [[ $(id -u) == 0 ]]; then chown -R postgres "$tmp"; run_as=(runuser -u postgres --); fi
  echo "Starting a throwaway PostgreSQL cluster in $tmp on port 54329…"
  "${run_as[@]}" "$pg_bin/initdb" -D "$tmp/data" -U postgres -A trust >/dev/null
  "${run_as[@]}" "$pg_bin/pg_ctl" -D "$tmp/data" -o "-p 54329 -k $tmp -c fsync=off" -l "$tmp/log" -w start >/dev/null
  trap '"${run_as[@]}" "$pg_bin/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null; rm -rf "$tmp"' EXIT
  export DATABASE_URL="postgres://postgres@127.0.0.1:54329/postgres"
fi

# --- Chromium for the browser journeys (Debian's package; Playwright drives it).
if ! command -v chromium >/dev/null 2>&1; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium for the browser tests…"
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need Debian's chromium: sudo apt-get install chromium" >&2
    exit 2
  fi
fi

echo "== Translations"
"$PY" manage.py compile_translations --settings=taptime.settings.test
echo "== Missing migrations"
"$PY" manage.py makemigrations --check --dry-run --settings=taptime.settings.test
echo "== ruff (lint and format)"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== import contracts (.importlinter)"
.venv/bin/lint-imports --no-cache
echo "== pytest (PostgreSQL: ${DATABASE_URL%%@*}@…)"
"$PY" -m pytest "$@"
echo "== SQLite smoke test of the demo path"
scripts/smoke_sqlite.sh
