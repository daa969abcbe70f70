# Torget: `make run` serves the demo municipality on http://127.0.0.1:8000; `make test` runs
# the whole suite. Nothing else needs installing by hand (Python 3.11 is assumed).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test install lint format messages clean

$(BIN)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@

install: $(BIN)/.installed

run: install
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

test: install
	TORGET_ENV=test $(BIN)/python manage.py compile_translations
	TORGET_ENV=test $(BIN)/python -m pytest $(PYTEST_ARGS)

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
