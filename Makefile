# The two commands a newcomer needs: `make run` (the admin on http://127.0.0.1:8000/admin/) and
# `make test` (the suite on throwaway PostgreSQL and Redis).
# Python 3.11: the distribution's build when it has one that can make a virtualenv (Debian's is compiled
# with profile-guided and link-time optimisation; the suite's Python-bound tests take about 15 % less CPU
# on it than on a plain source build such as pyenv's), else python3.11 from the PATH. `make PYTHON=...`
# chooses another. An existing .venv keeps the interpreter it was made with (`make clean` to switch).
PYTHON ?= $(shell /usr/bin/python3.11 -c "import ensurepip" 2>/dev/null && echo /usr/bin/python3.11 || echo python3.11)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_CUSTOMERS ?= 200
# Python keeps its compiled modules (__pycache__, git-ignored) even where the environment says not to: each
# test worker, and each worker process or command the tests start, then loads them instead of compiling
# every module of Django's and ours again.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test lint install messages compilemessages bench clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: export DEBUG ?= true
run: $(STAMP) compilemessages
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo --customers $(DEMO_CUSTOMERS)
	$(PY) manage.py ensure_admin
	$(PY) manage.py seed_demo_staff
	$(PY) manage.py seed_demo_consents
	$(PY) manage.py seed_demo_requests
	$(PY) manage.py runserver $(HOST):$(PORT)

# The suite runs on every core (at most four: tests/xdist_workers.py gives each worker Redis databases of
# its own); `make test PYTEST_ARGS=-n0` runs it in one process.
PYTEST_ARGS ?= -n auto --maxprocesses 4 --dist worksteal
test: $(STAMP) compilemessages
	$(PY) tests/services.py run -- $(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run

# Translations (lv, ru, en): `make messages` re-extracts every marked string into locale/*/django.po;
# the .mo files are built from them here, never committed.
I18N_IGNORE := --ignore=.venv --ignore=tests --ignore=bench --ignore=staticfiles
messages: $(STAMP)
	DEBUG=true $(PY) manage.py makemessages -l lv -l ru -l en $(I18N_IGNORE)

compilemessages: $(STAMP)
	DEBUG=true $(PY) manage.py compilemessages $(I18N_IGNORE)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
