# `make` runs the tests and the linter; `make run` starts the dashboard.
# `make install` makes a virtual environment in .venv (Debian 12's Python refuses a system-wide
# pip install: externally-managed-environment) and installs into it; every target then uses
# .venv's Python when it exists, the system's python3 otherwise (e.g. PYTHON=python3 in CI).
VENV := .venv
PYTHON ?= $(shell test -x $(VENV)/bin/python && echo $(VENV)/bin/python || echo python3)

.PHONY: default install run test lint bench load data
default: test lint

install:
	test -x $(VENV)/bin/python || python3 -m venv $(VENV) || \
	  (apt-get update && apt-get install -y python3-venv && python3 -m venv $(VENV))
	$(VENV)/bin/python -m pip install -r requirements-dev.txt
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)
	command -v nginx >/dev/null || (apt-get update && apt-get install -y nginx)
	command -v npm >/dev/null || (apt-get update && apt-get install -y nodejs npm); npm ci

run:
	$(PYTHON) -m streamlit run dashboard.py

# The fast tests first (logic, app, CLI: a lint or logic error shows in minutes), then the
# browser tests; --durations lists the slowest of each.
test:
	$(PYTHON) -m pytest -m "not browser" --durations=15
	$(PYTHON) -m pytest -m browser --durations=15

lint:
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .

bench:
	$(PYTHON) bench/generate.py && $(PYTHON) bench/run.py && $(PYTHON) bench/browser_playback.py
	$(PYTHON) bench/gazetteer_lookup.py

load:
	$(PYTHON) bench/load.py

data:
	$(PYTHON) data/build_regions.py && $(PYTHON) data/build_places.py
