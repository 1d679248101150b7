#!/usr/bin/env bash
# The demo path on the embedded defaults: migrate a fresh SQLite file, seed the
# demo twice (idempotent), and render the home page and a login page.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export DJANGO_SETTINGS_MODULE=taptime.settings.dev DATABASE_URL="sqlite:///$tmp/smoke.sqlite3" DEBUG=False
.venv/bin/python manage.py compile_translations -v0
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py seed_demo >/dev/null
.venv/bin/python manage.py seed_demo >/dev/null
.venv/bin/python manage.py shell -v0 -c '
from django.test import Client
c = Client(HTTP_HOST="localhost")  # DEBUG=False: "testserver" is not an allowed host
for path in ("/", "/es/", "/de/", "/blog/", "/faq/", "/experts/", "/experts/?q=python", "/accounts/login/", "/accounts/signup/"):
    response = c.get(path)
    assert response.status_code == 200, (path, response.status_code)
    print("  ", path, response.status_code, len(response.content), "bytes")
'
echo "SQLite smoke test passed."
