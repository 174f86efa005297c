# luoshi — the commands developers and CI run.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: setup dev run test lint bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEVSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(STAMP)

setup: $(STAMP)

dev: $(DEVSTAMP)

run: setup
	$(BIN)/luoshi summary src/luoshi/samples/*-notice*

lint: dev
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports

test: dev lint
	$(BIN)/python -m pytest -q

bench: dev
	$(BIN)/python bench/bench_parse.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
