# `make` runs the tests and the linter; `make run` starts the dashboard.
PYTHON ?= python3

.PHONY: default install run test lint bench data
default: test lint

install:
	$(PYTHON) -m pip install -r requirements-dev.txt
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)
	command -v npm >/dev/null || (apt-get update && apt-get install -y nodejs npm); npm ci

run:
	$(PYTHON) -m streamlit run dashboard.py

test:
	$(PYTHON) -m pytest

lint:
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .

bench:
	$(PYTHON) bench/generate.py && $(PYTHON) bench/run.py && $(PYTHON) bench/browser_playback.py
	$(PYTHON) bench/gazetteer_lookup.py

data:
	$(PYTHON) data/build_regions.py && $(PYTHON) data/build_places.py
