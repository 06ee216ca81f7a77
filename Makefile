# Two commands matter: `make run` serves the demo platform, `make test` runs every test.
# Everything else here is a step they share. Stamp files under var/ make a second run fast.

SHELL := /bin/bash
.DEFAULT_GOAL := run
PY312 ?= $(shell command -v python3.12 || echo python3.12)
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
VAR := var
export DJANGO_SECRET_KEY_FILE ?= $(CURDIR)/$(VAR)/secret_key
export DANVAN_IDENTITY_KEYS_FILE ?= $(CURDIR)/$(VAR)/identity_key
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test lint setup serve demo messages bench clean browsers pytest pytest-postgres
.PHONY: run-prod soak

$(VAR):
	mkdir -p $(VAR)

# The environment: Python 3.12 from pyenv, then the pinned uv, then the lock file.
$(VAR)/venv.stamp: uv.lock pyproject.toml | $(VAR)
	test -x $(PY) || $(PY312) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(UV) sync --frozen --quiet
	touch $@

$(VAR)/secret_key: | $(VAR)
	umask 077 && $(PY312) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# The Fernet key that seals denouncers' identities on this machine (see config/settings.py).
$(VAR)/identity_key: | $(VAR)
	umask 077 && $(PY312) -c "import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())" > $@

# Compiled translations; rebuilt only when a .po file changes.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
locale/%.mo: locale/%.po
	msgfmt --check -o $@ $<
messages: $(MO_FILES)

setup: $(VAR)/venv.stamp $(VAR)/secret_key $(VAR)/identity_key messages

# The demo database: migrated, units and demo data loaded, static files collected.
demo: setup
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_demo
	$(PY) manage.py collectstatic --no-input -v 0

run: demo
	$(PY) manage.py serve

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports
	$(PY) -m tools.house_rules  # no private name of another module, no module over 500 lines
	DJANGO_SETTINGS_MODULE=config.settings_test $(PY) manage.py makemigrations --check --dry-run -v 1

# Debian's Chromium for the browser tests, installed when missing.
browsers:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium and chromium-driver for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver) \
	  || (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver); }

pytest: setup browsers
	$(VENV)/bin/pytest -q $(PYTEST_ARGS)

# The suite again on a throwaway PostgreSQL server (Debian's `postgresql`, installed when
# missing; a temporary cluster on a Unix socket, stopped afterwards). The browser journeys
# are left out: they serve the platform from its own SQLite database whatever the test
# database is, so they would only repeat the SQLite run.
pytest-postgres: setup
	$(PY) -m testsupport.postgres_server -- $(VENV)/bin/pytest -q -m "not e2e" $(PYTEST_ARGS)

test: lint pytest pytest-postgres

bench: setup
	$(PY) -m bench

# The production layout on this machine, loopback only (docs/production.md): nginx on :8000,
# gunicorn web processes, rqworkers, PostgreSQL + streaming replica, Redis; data in var/prod/.
run-prod: setup
	$(PY) -m deploy.run_prod $(RUN_PROD_ARGS)

# Load and faults against that layout (bench/soak.py): 1,000,000 cases, 10 minutes of load,
# then kill_web, kill_worker, restart_postgres, restart_redis, disk_full. Data in var/soak/.
soak: setup
	$(PY) -m bench soak $(SOAK_ARGS)

clean:
	rm -rf $(VENV) $(VAR) $(MO_FILES)
