# The two commands a newcomer needs: `make run` (the admin on http://127.0.0.1:8000/admin/) and
# `make test` (the suite on throwaway PostgreSQL and Redis).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_CUSTOMERS ?= 200

.PHONY: run test lint install messages bench clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: export DEBUG ?= true
run: $(STAMP)
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo --customers $(DEMO_CUSTOMERS)
	$(PY) manage.py ensure_admin
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(STAMP)
	$(PY) tests/services.py run -- $(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
