#!/usr/bin/env bash
# Time `migrate` from an empty database on SQLite and on PostgreSQL.
# Usage: benchmarks/migrate_time.sh   (needs PostgreSQL on 127.0.0.1:5432, user postgres)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

t0=$(date +%s.%N)
DATABASE_URL="sqlite:///$tmp/bench.sqlite3" "$PY" manage.py migrate --noinput -v0
t1=$(date +%s.%N)
printf 'SQLite     migrate: %6.1f s\n' "$(echo "$t1 - $t0" | bc)"

db="bench_migrate_$$"
"$PY" - "$db" create <<'PY'
import sys, psycopg
with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
    c.execute(f'DROP DATABASE IF EXISTS "{sys.argv[1]}"'); c.execute(f'CREATE DATABASE "{sys.argv[1]}"')
PY
t0=$(date +%s.%N)
DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db" "$PY" manage.py migrate --noinput -v0
t1=$(date +%s.%N)
printf 'PostgreSQL migrate: %6.1f s\n' "$(echo "$t1 - $t0" | bc)"
"$PY" - "$db" drop <<'PY'
import sys, psycopg
with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
    c.execute(f'DROP DATABASE IF EXISTS "{sys.argv[1]}"')
PY
echo "migrations: $(find . -path ./.venv -prune -o -path '*/migrations/0*.py' -print | wc -l) of ours, $(.venv/bin/python manage.py showmigrations --plan 2>/dev/null | wc -l) in total"
