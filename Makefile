# Two commands set everything up on a fresh machine with Python 3.11 and make:
#   make run    virtualenv, install, migrate, demo data, serve on http://127.0.0.1:8000 (SQLite)
#   make test   virtualenv with dev tools, lint, migration check, the test suite
#               (PostgreSQL when DATABASE_URL is set, SQLite otherwise)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

# Local development runs with DEBUG on and the published development keys; production sets
# DEBUG=False and its own keys (see README, "Running in production").
export DEBUG ?= true
export REQUIRE_TWO_FACTOR ?= false

.PHONY: run test install install-dev lint format messages migrate demo serve clean

run: install migrate demo serve

test: install-dev lint
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-runtime

install: $(VENV)/.installed-runtime
install-dev: $(VENV)/.installed-dev

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Extract and compile the Romanian and Dutch catalogues (needs GNU gettext).
messages: install
	$(MANAGE) makemessages -l ro -l nl --ignore=.venv --ignore=tests --ignore=staticfiles --ignore=artifacts
	$(MANAGE) compilemessages --ignore=.venv

migrate: install
	$(MANAGE) migrate --verbosity 0

demo: install
	$(MANAGE) load_demo

serve: install
	$(MANAGE) runserver 127.0.0.1:8000

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
