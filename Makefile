# Koshiqon: `make run` sets up and serves the demo; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PIP := $(BIN)/pip --disable-pip-version-check -q
DEMO_SIZE ?= 3000
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=


.PHONY: run setup compiled-messages test test-sqlite test-postgres lint fmt bench messages clean

$(BIN)/activate:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Koshiqon needs Python 3.11; set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.base: $(BIN)/activate requirements/base.lock pyproject.toml
	$(PIP) install --require-hashes -r requirements/base.lock
	$(PIP) install --no-deps -e .
	@touch $@

$(VENV)/.dev: $(VENV)/.base requirements/dev.lock
	$(PIP) install --require-hashes -r requirements/dev.lock
	@touch $@

setup: $(VENV)/.base
	$(BIN)/koshiqon setup

run: setup
	$(BIN)/koshiqon demo --size $(DEMO_SIZE)
	$(BIN)/koshiqon serve --host $(HOST) --port $(PORT)

messages: $(VENV)/.dev
	cd koshiqon && ../$(PY) ../manage.py makemessages -l kk -l ru --no-obsolete --ignore "*/tests/*"

compiled-messages: $(VENV)/.base
	$(PY) -m babel.messages.frontend compile -d koshiqon/locale -D django

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

fmt: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The whole suite: static checks, then pytest on SQLite, then on PostgreSQL when DATABASE_URL points there.
test: $(VENV)/.dev compiled-messages lint test-sqlite test-postgres

test-sqlite: $(VENV)/.dev
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: $(VENV)/.dev
	@if [[ "$${DATABASE_URL:-}" == postgres* ]]; then \
	  echo "== the suite again on PostgreSQL ($${DATABASE_URL%%@*}@...)"; \
	  $(BIN)/pytest $(PYTEST_ARGS); \
	else echo "DATABASE_URL is not PostgreSQL: the PostgreSQL run is skipped"; fi

bench: $(VENV)/.dev
	@for b in benchmarks/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) var
