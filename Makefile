# Two commands on a fresh machine: `make run` (the portal on SQLite) and
# `make test` (lint, checks and every test). See README.md.

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
WAGE_FILES := $(sort $(wildcard fixtures/oews/*.csv))
# The local site: DEBUG on, everything else at its no-setup default.
LOCAL := DJANGO_DEBUG=true
# Production settings with throwaway values, to validate hashed static files.
PRODUCTION_CHECK := DJANGO_DEBUG=false DJANGO_SECRET_KEY=make-test-only-not-a-secret-0123456789abcdefghij DJANGO_ALLOWED_HOSTS=localhost
BIND ?= 127.0.0.1:8000
VNU_VERSION := 26.9.27
VNU_JAR := $(VENV)/vnu/node_modules/vnu-jar/build/dist/vnu.jar
# `make run PORT=8001` when 8000 is taken.
PORT ?= 8000
WORKERS ?= 2
E2E_ARTIFACTS := test-results

AUDIT_VENV := .venv-audit

.PHONY: audit mutation run free-port setup test lint test-unit test-e2e serve worker superuser clean

run: free-port setup
	@echo ""
	@echo "  The portal is at http://127.0.0.1:$(PORT)/ (admin: http://127.0.0.1:$(PORT)/admin/)"
	@echo "  Staff login: run 'make superuser' in another terminal."
	@echo ""
	$(LOCAL) $(MANAGE) runserver 127.0.0.1:$(PORT)

# Before anything else: say which port to use instead of runserver's traceback.
free-port:
	@python3 -c "import socket, sys; sys.exit(socket.socket().connect_ex(('127.0.0.1', $(PORT))) == 0)" \
		|| { echo "Port $(PORT) is taken: run 'make run PORT=8001' (or another free port)." >&2; exit 1; }

# The local database, ready: migrated, the role library and the overview article
# seeded (never over an editor's changes) and the BLS wage files imported. Idempotent.
setup: $(VENV)/.runtime
	$(LOCAL) $(MANAGE) migrate --noinput
	$(LOCAL) $(MANAGE) seed_roles
	$(LOCAL) $(MANAGE) seed_content
	$(if $(WAGE_FILES),$(LOCAL) $(MANAGE) import_oews $(WAGE_FILES))

test: lint test-unit test-e2e

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(LOCAL) $(MANAGE) check --fail-level WARNING
	$(LOCAL) $(MANAGE) makemigrations --check --dry-run
	$(PRODUCTION_CHECK) $(MANAGE) collectstatic --noinput --clear -v 0

test-unit: $(VENV)/.dev
	$(PY) -m pytest --ignore=tests/e2e

# A separate run: Playwright's event loop would upset Django's database setup
# in the same process as the other tests (see tests/e2e/conftest.py).
test-e2e: $(VENV)/.dev
	$(PY) -m pytest tests/e2e --output $(E2E_ARTIFACTS) --screenshot only-on-failure --tracing retain-on-failure

# Production serving: needs the environment of .env.example (DEBUG off).
serve: $(VENV)/.runtime
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput -v 0
	BIND=$(BIND) WORKERS=$(WORKERS) $(VENV)/bin/gunicorn portal.wsgi -c portal/gunicorn_conf.py

# Background tasks (lead notifications) in production.
worker: $(VENV)/.runtime
	$(MANAGE) run_worker

superuser: $(VENV)/.runtime
	$(LOCAL) $(MANAGE) createsuperuser

# Mutation testing of the leads app (mutmut): not part of `make test`; it takes a while.
# Point DATABASE_URL at PostgreSQL to reuse one test database across mutants.
mutation: $(VENV)/.dev
	rm -rf mutants
	$(VENV)/bin/python -m pytest --create-db --reuse-db -q leads/tests/test_models.py  # a fresh test database to reuse
	$(VENV)/bin/mutmut run --max-children 1  # one at a time: the mutants share one test database
	$(VENV)/bin/mutmut results

# Supply chain, by hand (not a CI gate: it needs the network): the pins behind their
# newest release, then known vulnerabilities in everything installed, by pip-audit
# in a virtualenv of its own. --strict: a package the vulnerability database could
# not be asked about fails the audit instead of passing unseen.
audit: $(VENV)/.dev
	@test -x $(AUDIT_VENV)/bin/pip-audit || { $(PY) -m venv $(AUDIT_VENV) && \
		$(AUDIT_VENV)/bin/pip install -q pip-audit==2.10.1; }
	@echo "Pins behind their newest release:"
	@$(VENV)/bin/pip list --outdated --format=json | $(PY) scripts/outdated-pins
	@echo "Known vulnerabilities (pip-audit, PyPI's advisory database):"
	PIPAPI_PYTHON_LOCATION=$(PY) $(AUDIT_VENV)/bin/pip-audit --strict --progress-spinner off

clean:
	rm -rf $(VENV) $(AUDIT_VENV) staticfiles $(E2E_ARTIFACTS) .pytest_cache .ruff_cache mutants

$(PY):
	@python=$$(scripts/find-python) || exit 1; \
	echo "Creating $(VENV) with $$python"; \
	"$$python" -m venv $(VENV)

# Stamps: reinstall only when a requirements file changes.
$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(MAKE) --no-print-directory $(VNU_JAR)
	touch $@ $(VENV)/.runtime

# The Nu HTML Checker (the W3C's vnu.jar, from the npm registry) for the HTML test;
# it runs on Java (.ci/run installs one).
$(VNU_JAR):
	npm install --silent --no-audit --no-fund --prefix $(VENV)/vnu vnu-jar@$(VNU_VERSION)
