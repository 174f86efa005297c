# luoshi — the commands developers and CI run.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev
WEBSTAMP := $(VENV)/.installed-web

.PHONY: setup dev run test test-lib test-web test-web-postgres test-e2e lint bench bench-scale clean system-deps

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(WEBSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[web]'
	touch $@ $(STAMP)

$(DEVSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[web,dev]'
	touch $@ $(STAMP) $(WEBSTAMP)

# The library and the web application (the `web` extra), so that luoshi-web exists.
setup: $(STAMP) $(WEBSTAMP)

dev: $(DEVSTAMP)

# Fresh machine or not: migrate, load units + sample notices + demo accounts (idempotent), serve.
run: setup
	$(BIN)/luoshi-web migrate --noinput
	$(BIN)/luoshi-web demo
	$(BIN)/luoshi-web serve

lint: dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src/luoshi_web tests/web tests/e2e
	$(BIN)/lint-imports

# The library's tests run without Django configured; the web tests run on SQLite, then again on
# a throwaway PostgreSQL (scripts/with-postgres installs and starts one on loopback).
test-lib: dev
	$(BIN)/python -m pytest -q --ignore=tests/web --ignore=tests/e2e

test-web: dev system-deps
	$(BIN)/python -m pytest -q tests/web

test-web-postgres: dev system-deps
	scripts/with-postgres $(BIN)/python -m pytest -q tests/web

# End-to-end in a real browser (tests/e2e/): Playwright driving Debian's chromium (never
# `playwright install`) against the live server on SQLite; screenshots in tests/artifacts/e2e/.
test-e2e: dev system-deps
	$(BIN)/python -m pytest -q tests/e2e

# Debian packages the tests need (LibreOffice for the exports, fonts, pdftotext, chromium): only
# what is missing, first.
system-deps:
	scripts/system-deps

test: system-deps dev lint test-lib test-web test-web-postgres test-e2e

bench: dev
	$(BIN)/python bench/bench_parse.py
	$(BIN)/python bench/bench_targets.py

# Proof at scale (bench/scale/run.py; README "Proof at scale"): a country's worth of synthetic
# notices in a throwaway database under $TMPDIR, served by gunicorn on 127.0.0.1 and loaded by a
# bounded client. About 20 minutes and 10 GB of temporary disk for PostgreSQL with 1,000,000
# tasks, so not part of `make bench`. `make bench-scale SCALE=100000 DB=sqlite` for SQLite.
DB ?= postgres
SCALE ?=
bench-scale: dev
	@if [ "$(DB)" = postgres ] && ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then \
		scripts/with-postgres true; fi
	$(BIN)/python bench/scale/run.py --db $(DB) $(if $(SCALE),--tasks $(SCALE),)

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
