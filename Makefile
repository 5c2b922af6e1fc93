# The two commands: `make run` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
XUNCHA := $(VENV)/bin/xuncha
export XUNCHA_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test test-sqlite test-postgres test-browser deps dev-deps system-test-deps lint messages clean

run: deps
	$(XUNCHA) migrate
	$(XUNCHA) demo --if-empty
	$(XUNCHA) serve

deps: $(VENV)/.runtime node_modules/.installed

dev-deps: $(VENV)/.dev node_modules/.installed

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.dev: pyproject.toml $(VENV)/.runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Chromium with CJK fonts for the browser tests, gettext for the catalogue test.
system-test-deps:
	@scripts/install-system-deps.sh

# The browser tests wait on Chromium and the server more than they compute, so they run beside
# the PostgreSQL run (each target's output is printed whole when it ends).
test: dev-deps system-test-deps
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory -j2 --output-sync=target test-postgres test-browser

# Tests keep their files apart from the data of `make run`.
TEST_ENV := env -u DATABASE_URL XUNCHA_DATA_DIR=$(CURDIR)/var/test
# One worker per core; the demo county's tests share one build on one worker (tests/demo).
PARALLEL := -n $(shell nproc 2>/dev/null || echo 2) --dist loadgroup

test-sqlite:
	@echo "== tests on SQLite =="
	$(TEST_ENV) $(PY) -m pytest -q -m "not browser" $(PARALLEL)

test-postgres:
	@echo "== tests on PostgreSQL =="
	$(TEST_ENV) scripts/with-postgres.sh $(PY) -m pytest -q -m "not browser" $(PARALLEL)

test-browser:
	@echo "== browser tests (Chromium) =="
	$(TEST_ENV) $(PY) -m pytest -q -m browser

lint: dev-deps
	$(VENV)/bin/ruff check src tests bench

# Refresh the zh_Hans catalogue after changing strings; the compiled .mo is committed.
messages: dev-deps
	cd src/xuncha && ../../$(PY) -m django makemessages -l zh_Hans --no-location --no-obsolete --settings=xuncha.settings
	cd src/xuncha && ../../$(PY) -m django compilemessages -l zh_Hans --settings=xuncha.settings

clean:
	rm -rf $(VENV) node_modules
