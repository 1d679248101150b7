#!/usr/bin/env bash
# Production settings over the local demo database, for speed figures and page
# audits: gunicorn, WhiteNoise with manifest storage, HTTPS redirect off.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=taptime.settings.production
export SECRET_KEY="${SECRET_KEY:-local-serve-only-$(hostname)-not-for-internet}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
export DATABASE_URL="${DATABASE_URL:-sqlite:///$(pwd)/db.sqlite3}"
# The key the dev settings derive, so authenticators set up under `make run` still work here.
export MFA_ENCRYPTION_KEYS="${MFA_ENCRYPTION_KEYS:-$(env -u SECRET_KEY DJANGO_SETTINGS_MODULE=taptime.settings.dev .venv/bin/python -c 'from django.conf import settings; print(settings.MFA_ENCRYPTION_KEYS[0])')}"
export SECURE_SSL_REDIRECT=False SESSION_COOKIE_SECURE=False CSRF_COOKIE_SECURE=False SECURE_HSTS_SECONDS=0
export SERVE_MEDIA="${SERVE_MEDIA:-True}"  # no S3/CDN on a loopback run
export BASE_URL="http://127.0.0.1:${PORT:-8000}"
# Production settings refuse these outside a loopback run; here they are wanted:
# mail is printed, the cache is per process, and the review page offers test cards.
export ALLOW_CONSOLE_EMAIL=True ALLOW_LOCAL_CACHE=True ALLOW_TEST_PAYMENTS=True
.venv/bin/python manage.py collectstatic --noinput -v0
echo "Serving production settings on http://127.0.0.1:${PORT:-8000}"
exec .venv/bin/gunicorn taptime.wsgi --bind "127.0.0.1:${PORT:-8000}" --workers "${WEB_CONCURRENCY:-2}" --access-logfile -
