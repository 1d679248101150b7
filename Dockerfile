# TapTime's production image: gunicorn serving taptime.wsgi as a non-root user.
#   docker build -t taptime .
#   docker compose up           (docker-compose.yml: web ×2, worker ×2, nginx, PostgreSQL, Redis)
# Every secret comes from the environment at run time; none is baked in (docs/operations.md).

# --- build: wheels for every pinned requirement, and the compiled translations --------------
FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /src
COPY requirements/ requirements/
RUN python -m venv /venv \
 && /venv/bin/pip install -r requirements/production.txt
COPY . .
# .mo files are build output (not committed); static files are collected with the manifest storage.
RUN /venv/bin/python manage.py compile_translations --settings=taptime.settings.test -v0 \
 && DJANGO_SETTINGS_MODULE=taptime.settings.production SECRET_KEY=build-only ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 MFA_ENCRYPTION_KEYS=q6Zb2n7y0lJc0uQk2iJ6m0K8hJx3b1YV8Y4r2b9pZ3c= \
    BASE_URL=http://localhost ALLOW_CONSOLE_EMAIL=True ALLOW_LOCAL_CACHE=True ALLOW_TEST_PAYMENTS=True \
    /venv/bin/python manage.py collectstatic --noinput -v0

# --- run: the venv and the app, no compilers, no root -----------------------------------------
FROM python:3.11-slim-bookworm AS run
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=taptime.settings.production \
    PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus WEB_CONCURRENCY=2 PORT=8000
RUN groupadd --system taptime && useradd --system --gid taptime --home-dir /app --no-create-home taptime
WORKDIR /app
COPY --from=build /venv /venv
COPY --from=build --chown=taptime:taptime /src /app
USER taptime
EXPOSE 8000
# The load balancer and the orchestrator ask /healthz/ (database, cache, broker).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz/', timeout=4)"
# One image, three roles: web (default), `worker` (django-q2), `migrate` (run once per deploy).
ENTRYPOINT ["/app/deploy/entrypoint.sh"]
CMD ["web"]
