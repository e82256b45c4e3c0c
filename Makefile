# Every target that needs Python installs the project into .venv first, so a fresh clone needs
# nothing else: `make demo` and `make test` are the two commands of the README's quick start.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1

.PHONY: install demo test lint typecheck unit integration e2e clean

install: $(STAMP)

# Re-install whenever the dependency list changes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[cli,dev,infra]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/sikas-sync demo

lint: $(STAMP)
	$(BIN)/ruff check layers functions infra tests
	$(BIN)/ruff format --check layers functions infra tests

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest tests/unit -q

integration: $(STAMP)
	$(BIN)/pytest tests/integration -q

e2e: $(STAMP)
	$(BIN)/pytest tests/e2e -q

test: lint typecheck $(STAMP)
	$(BIN)/pytest -q -n 2

clean:
	rm -rf $(VENV) build cdk.out .pytest_cache .mypy_cache .ruff_cache
