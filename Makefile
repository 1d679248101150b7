# TapTime — the two commands: `make run` (demo on embedded defaults) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The one public address every emailed link, calendar invite and the Sites domain use
# (taptime/settings/base.py); it follows PORT unless set in the environment.
BASE_URL ?= http://127.0.0.1:$(PORT)
export PORT BASE_URL
# The demo runs with DEBUG off, so visitors meet the designed 404 and 500 pages rather than
# Django's technical ones (file paths, settings). `DEBUG=True make run` for development.
DEBUG ?= False

.PHONY: run test test-fast serve migrate seed lint format clean-db help

help:
	@echo "make run    - install, migrate, seed the demo and start web + worker on http://127.0.0.1:$(PORT)"
	@echo "make test   - install dev tools and run checks + the whole suite on PostgreSQL"
	@echo "make test-fast - the inner loop: the suite without the browser, race and slow tiers"
	@echo "make serve  - gunicorn with production settings over the demo database (for audits)"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# Stamps make a second `make run` skip pip when the requirements did not change.
$(VENV)/.stamp-base: requirements/base.txt requirements/demo.txt requirements/embeddings.txt | $(PY)
	$(PY) -m pip install -q -r requirements/base.txt -r requirements/demo.txt
	$(PY) -m pip install -q --no-deps -r requirements/embeddings.txt
	@touch $@

$(VENV)/.stamp-dev: requirements/base.txt requirements/dev.txt requirements/demo.txt requirements/production.txt requirements/embeddings.txt | $(PY)
	$(PY) -m pip install -q -r requirements/dev.txt -r requirements/demo.txt -r requirements/production.txt
	$(PY) -m pip install -q --no-deps -r requirements/embeddings.txt
	@touch $@ $(VENV)/.stamp-base $(VENV)/.stamp-prod

$(VENV)/.stamp-prod: requirements/base.txt requirements/production.txt requirements/embeddings.txt | $(PY)
	$(PY) -m pip install -q -r requirements/production.txt
	$(PY) -m pip install -q --no-deps -r requirements/embeddings.txt
	@touch $@

migrate: $(VENV)/.stamp-base
	$(PY) manage.py compile_translations -v0
	@$(PY) manage.py migrate --noinput || { \
	  echo "Migrating db.sqlite3 failed. A demo database made before the apps were re-cut cannot be"; \
	  echo "migrated: 'make clean-db' deletes it (local demo data only), then 'make run' builds a fresh one."; \
	  exit 1; }

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	@echo "TapTime on http://127.0.0.1:$(PORT)  (Ctrl-C stops the web server and the worker)"
	TAPTIME_PORT=$(PORT) BASE_URL=$(BASE_URL) DEBUG=$(DEBUG) $(VENV)/bin/honcho -f Procfile.dev start

test: $(VENV)/.stamp-dev
	@scripts/test.sh

# The inner loop: unit and page tests on PostgreSQL, without Chromium journeys, thread races,
# subprocesses and the whole demo seed (make test runs them all). Extra pytest arguments: ARGS=...
test-fast: $(VENV)/.stamp-dev
	$(PY) manage.py compile_translations --settings=taptime.settings.test -v0
	$(VENV)/bin/pytest -m "not e2e and not race and not slow" $(ARGS)

serve: $(VENV)/.stamp-prod seed
	@scripts/serve.sh

lint: $(VENV)/.stamp-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: $(VENV)/.stamp-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The loopback Stripe server's state belongs to the demo database: both go together.
clean-db:
	rm -f db.sqlite3 db.sqlite3-shm db.sqlite3-wal
	rm -rf .localstripe
