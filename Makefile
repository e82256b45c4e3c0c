# Every target that needs Python installs the project into .venv first, so a fresh clone needs
# nothing else: `make demo` and `make test` are the two commands of the README's quick start.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two stamps: the command line alone (what `make demo` and an operator need), and everything the tests
# need on top of it (pytest, ruff, mypy, checkov, the CDK libraries).
CLI_STAMP := $(VENV)/.installed-cli
STAMP := $(VENV)/.installed
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1
# jsii calls Node 20 end-of-life since 2026-10-30 and prints a banner on every CDK call; it still works.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20

.PHONY: install demo test lint typecheck unit integration e2e clean layers lock synth infra-test

install: $(CLI_STAMP)

# Re-install whenever the dependency list changes.
$(CLI_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[cli]'
	touch $(CLI_STAMP)

$(STAMP): $(CLI_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[cli,dev,infra]'
	touch $(STAMP)

demo: $(CLI_STAMP)
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
	rm -rf $(VENV) build cdk.out node_modules .pytest_cache .mypy_cache .ruff_cache

# --- infrastructure (CDK app in infra/) ---------------------------------------------------------
NPM_STAMP := node_modules/.installed
CDK := node_modules/.bin/cdk
CDK_OUT ?= cdk.out

# The CDK CLI pinned in package.json/package-lock.json, installed into the project, never globally.
$(NPM_STAMP): package.json package-lock.json
	npm ci --no-fund --no-audit
	touch $(NPM_STAMP)

# The Lambda layers without Docker (aarch64 CPython 3.14 wheels + the core package); stamped, so a
# re-run with nothing changed is instant.
layers: $(STAMP)
	$(BIN)/python infra/build_layers.py

# Resolve pyproject.toml's runtime dependencies again for the Lambda platform (needs PyPI).
lock: $(STAMP)
	$(BIN)/python infra/build_layers.py --lock

# cdk-nag runs inside the synthesis: an unacknowledged finding fails it, and then this target.
synth: $(STAMP) layers $(NPM_STAMP)
	rm -rf $(CDK_OUT)
	CDK_DISABLE_CLI_TELEMETRY=true $(CDK) synth --quiet --output $(CDK_OUT)
	$(BIN)/cfn-lint $(CDK_OUT)/*.template.json

infra-test: $(STAMP) layers $(NPM_STAMP)
	$(BIN)/pytest tests/infra -q

# --- performance (issue 8): not part of `make test`; numbers, not assertions ----------------------
# The figures of the issue, each with its ratio, printed and written to bench-results/latest.json.
# Inputs are generated once into bench-results/data/ (the 1,000,000-row XLSX takes minutes the first time).
.PHONY: bench
bench: $(STAMP)
	$(BIN)/python -m bench
