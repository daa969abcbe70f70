# Torget: `make run` serves the demo municipality on http://127.0.0.1:8000; `make test` runs
# the whole suite. Nothing else needs installing by hand (Python 3.11 is assumed).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# `make test` spreads the suite over the cores (pytest-xdist, at most 4 workers); each worker
# has its own test database, live servers and Chromium. --dist loadgroup hands out tests one by
# one in pytest-django's order (those that empty the database last, as in one process), and a
# module marked xdist_group (fuzz, authz: one demo each) whole to one worker. PYTEST_ARGS come
# last, so PYTEST_ARGS="-n 0 -k foo" runs a few tests in one process.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); echo $$(( n < 4 ? n : 4 )))
PYTEST_ARGS ?=
# The browser tests drive Debian's Chromium (tests/e2e/conftest.py), never a downloaded one.
CHROMIUM ?= $(or $(TORGET_E2E_CHROMIUM),/usr/bin/chromium)

.PHONY: run test install chromium pango lint format messages clean

$(BIN)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@

install: $(BIN)/.installed

# The site runs without Pango, but its PDF protocols need it: installed when we may, else a warning.
run: install
	@$(if $(PANGO_INSTALLED)$(MAY_INSTALL),$(MAKE) --no-print-directory pango,echo "Obs: PDF-protokollen kräver Pango: sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0")
	TORGET_ENV=dev $(BIN)/python manage.py migrate --noinput
	TORGET_ENV=dev $(BIN)/python manage.py compile_translations
	TORGET_ENV=dev $(BIN)/python manage.py load_demo
	@echo ""
	@echo "Torget körs på http://127.0.0.1:$(PORT)/  (Ctrl-C stoppar webbservern och arbetaren)"
	@echo ""
	@# The worker (e-mail, SMS, retries) runs beside the web server and stops with it.
	TORGET_ENV=dev $(BIN)/python manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	TORGET_ENV=dev $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Installs Debian's chromium when it is missing and we may (root, or sudo without a password),
# as .ci/run does; otherwise stops with one line that names the one command to run.
MAY_INSTALL = $(shell [ "$$(id -u)" = 0 ] || sudo -n true 2>/dev/null && echo yes)
chromium:
	$(if $(wildcard $(CHROMIUM)),,$(if $(MAY_INSTALL),,$(error The browser tests need Chromium: run 'sudo apt-get install -y chromium', then 'make test' again)))
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  sudo=$$([ "$$(id -u)" = 0 ] || echo "sudo -n"); \
	  echo "Installing Debian's chromium for the browser tests (apt-get install -y chromium) ..."; \
	  { $$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
	  { echo "Installing Chromium failed: run 'sudo apt-get install -y chromium', then 'make test' again." >&2; exit 1; }; \
	fi

# WeasyPrint (the inspection protocols as PDF) needs Debian's Pango; installed the same way.
PANGO_INSTALLED = $(wildcard /usr/lib/*/libpangoft2-1.0.so.0 /usr/lib/libpangoft2-1.0.so.0)
pango:
	$(if $(PANGO_INSTALLED),,$(if $(MAY_INSTALL),,$(error The PDF protocols need Pango: run 'sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0', then 'make test' again)))
	@if [ -z "$(PANGO_INSTALLED)" ]; then \
	  sudo=$$([ "$$(id -u)" = 0 ] || echo "sudo -n"); \
	  echo "Installing Debian's Pango for WeasyPrint (apt-get install -y libpango-1.0-0 libpangoft2-1.0-0) ..."; \
	  { $$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; } || \
	  { echo "Installing Pango failed: run 'sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0', then 'make test' again." >&2; exit 1; }; \
	fi

test: install chromium pango
	TORGET_ENV=test $(BIN)/python manage.py compile_translations
	TORGET_ENV=test $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Extract new UI strings into the English catalogue (needs GNU gettext: apt-get install gettext).
messages: install
	cd torget && TORGET_ENV=dev ../$(BIN)/python ../manage.py makemessages --locale en --no-obsolete --no-location

clean:
	rm -rf $(VENV) var
