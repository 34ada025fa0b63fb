# The two commands of the README: `make demo` and `make test`.
# Both install exactly the versions locked in requirements/ (with their hashes);
# `make lock` refreshes the locks from pyproject.toml (docs/installation.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
COMPILE := CUSTOM_COMPILE_COMMAND='make lock' $(BIN)/pip-compile --quiet --generate-hashes \
	--allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links

.PHONY: demo test lint install install-test install-prod lock lock-upgrade

demo: install
	$(BIN)/seuil demo

test: install-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/djlint src/seuil --lint
	$(BIN)/lint-imports
	SEUIL_ENV=test $(BIN)/seuil makemigrations --check --dry-run
	$(BIN)/pytest

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Seuil demande Python 3.11 ou plus récent.")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(PIP) install --quiet --require-hashes -r requirements/base.txt
	$(PIP) install --quiet --no-deps -e .
	$(PIP) check --quiet

install-test: $(BIN)/python
	$(PIP) install --quiet --require-hashes -r requirements/test.txt
	$(PIP) install --quiet --no-deps -e .
	$(PIP) check --quiet

install-prod: $(BIN)/python
	$(PIP) install --quiet --require-hashes -r requirements/prod.txt
	$(PIP) install --quiet --no-deps -e .
	$(PIP) check --quiet

# Keeps the locked versions that still fit pyproject.toml; `make lock-upgrade` takes the
# latest ones. test.txt and prod.txt are constrained by base.txt: same runtime versions.
lock: $(BIN)/python
	$(PIP) install --quiet pip-tools
	$(COMPILE) $(LOCK_FLAGS) -o requirements/base.txt pyproject.toml
	$(COMPILE) $(LOCK_FLAGS) --extra test -c requirements/base.txt -o requirements/test.txt pyproject.toml
	$(COMPILE) $(LOCK_FLAGS) --extra prod -c requirements/base.txt -o requirements/prod.txt pyproject.toml

lock-upgrade:
	$(MAKE) lock LOCK_FLAGS=--upgrade
