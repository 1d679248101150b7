#!/bin/sh
# The image's roles: web (gunicorn), worker (django-q2 cluster), migrate (once per deploy), or any command.
set -e
mkdir -p "${PROMETHEUS_MULTIPROC_DIR:-/tmp/prometheus}"
case "${1:-web}" in
  web)
    exec gunicorn taptime.wsgi --bind "0.0.0.0:${PORT:-8000}" --workers "${WEB_CONCURRENCY:-2}" \
      --worker-class gthread --threads "${WEB_THREADS:-4}" --graceful-timeout 20 --access-logfile - ;;
  worker) exec python manage.py qcluster ;;
  migrate) exec python manage.py migrate --noinput ;;
  *) exec "$@" ;;
esac
