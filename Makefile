# Two commands for a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PORT ?= 5000

.PHONY: run test lint bench install install-test translations vendor browser-deps pdf-deps backup-deps clean

run: $(VENV)/.runtime-installed pdf-deps translations
	$(FLASK) db upgrade
	$(FLASK) demo ensure
	@echo "Portal CUS: http://127.0.0.1:$(PORT)"
	@# Two worker processes count rate limits together only in a shared store:
	@# the local Redis when one answers (as on the project's machines), else each in its own memory.
	@store=$${RATELIMIT_STORAGE_URI:-$$(timeout 1 bash -c 'exec 3<>/dev/tcp/127.0.0.1/6379' 2>/dev/null \
	  && echo redis://127.0.0.1:6379/0 || echo memory://)}; \
	echo "Rate limits counted in $$store"; \
	RATELIMIT_STORAGE_URI=$$store exec $(BIN)/gunicorn --config gunicorn.conf.py --bind 127.0.0.1:$(PORT) wsgi:app

# One test process per core (pytest-xdist), a test file's tests in one process;
# TEST_WORKERS=0 runs them in this process.
TEST_WORKERS ?= auto

test: lint $(VENV)/.test-installed node_modules/.installed browser-deps pdf-deps backup-deps translations
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

# ruff (pinned in requirements-test.txt, configured in pyproject.toml): pyflakes, pycodestyle,
# import order. `make test` runs it first, so a lint error fails the tests and CI.
lint: $(VENV)/.test-installed
	$(BIN)/ruff check .

bench: $(VENV)/.test-installed pdf-deps translations
	$(BIN)/python -m bench

install: $(VENV)/.runtime-installed
install-test: $(VENV)/.test-installed

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test-installed: requirements.txt requirements-test.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $(VENV)/.runtime-installed $@

# vnu.jar for the HTML checker (the tests); front-end files are vendored.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# Chromium and Java from Debian, only when missing.
browser-deps:
	@command -v /usr/bin/chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@command -v java >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; }

# Pango and the DejaVu fonts for WeasyPrint's PDF documents, only when missing.
pdf-deps:
	@{ /sbin/ldconfig -p | grep -q libpangoft2-1.0.so.0 && test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf; } || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; }

# pg_dump / pg_restore for `flask backup` and `flask restore` on PostgreSQL, only when missing.
backup-deps:
	@{ command -v pg_dump >/dev/null && command -v pg_restore >/dev/null; } || ls /usr/lib/postgresql/*/bin/pg_restore >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client; }

translations: $(VENV)/.runtime-installed
	@set -o pipefail; $(BIN)/pybabel compile -d portal/translations 2>&1 | { grep -v '^compiling' || true; }

# Refresh the vendored front-end files from the pinned npm packages.
vendor: node_modules/.installed
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx-2.0.11.min.js
	cp node_modules/axe-core/axe.min.js tests/vendor/axe.min.js

# Extract the interface texts and update the catalogues (developers).
messages: $(VENV)/.runtime-installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 -o portal/translations/messages.pot .
	$(BIN)/pybabel update -i portal/translations/messages.pot -d portal/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) node_modules
