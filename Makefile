# The commands the README and CI use.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run install test test-deps lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

## Install, create the SQLite database in ./data, load the demo site and serve it.
run: install
	$(BIN)/broadsheet demo --url http://$(HOST):$(PORT)
	$(BIN)/broadsheet serve --host $(HOST) --port $(PORT)

test-deps: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'

## Install the test dependencies and run the whole suite (SQLite, then PostgreSQL), and lint.
test: test-deps
	PATH="$(CURDIR)/$(BIN):$$PATH" bash scripts/test
	$(MAKE) --no-print-directory lint

lint: test-deps
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src

bench: install
	$(BIN)/python bench/pages.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
