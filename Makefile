# Two commands set everything up on a fresh machine with Python 3.11 and make:
#   make run    virtualenv, install, migrate, demo data, serve on http://127.0.0.1:8000 (SQLite;
#               `make run PORT=8080` serves on another port)
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
# Where `make run` serves, and where the demo password it made up first is kept (beside the
# database), so that the logins it printed stay valid run after run.
PORT ?= 8000
DEMO_PASSWORD_FILE ?= db.sqlite3.demo-password

.PHONY: run test install install-dev lock lint format messages migrate demo serve clean \
	bench bench-data load-test bench-import bench-export

run: install migrate demo serve

test: install-dev lint
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs come from the hashed lock files, so that two installs a week apart are the same
# packages, byte for byte; `make lock` writes them again after requirements*.txt change.
$(VENV)/.installed-runtime: requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements.lock requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-dev.lock
	touch $@ $(VENV)/.installed-runtime

$(VENV)/.installed-bench: requirements.txt requirements-dev.txt requirements-bench.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-bench.txt
	touch $@ $(VENV)/.installed-dev $(VENV)/.installed-runtime

LOCK := $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links --no-header --annotation-style=line

lock: | $(BIN)/python
	$(BIN)/pip install --quiet "pip-tools>=7.4,<8"
	$(LOCK) --output-file=requirements.lock requirements.txt
	$(LOCK) --output-file=requirements-dev.lock requirements-dev.txt

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
	$(MANAGE) load_demo --password-file $(DEMO_PASSWORD_FILE)

serve: install
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# National scale (issue 14, README "Sizing and scale-out"): a synthetic network in a PostgreSQL database of its own,
# never the one `make run` uses, then the benchmark and the load test against it. Not in `make test`.
#   make bench-data BENCH_PEOPLE=200000    once (refuses a database that holds records)
#   make bench                             per page: queries, median and p95; report vs raw SQL
#   make load-test                         gunicorn + locust, 50 users
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ns_bench
BENCH_PEOPLE ?= 20000
BENCH_ORGANISATIONS ?= 40
BENCH_REPEAT ?= 7
BENCH_USERS ?= 50
BENCH_SECONDS ?= 60
BENCH_PASSWORD ?= bench-password

bench-data: install-dev
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) migrate --verbosity 0
	DATABASE_URL=$(BENCH_DATABASE_URL) DEMO_PASSWORD=$(BENCH_PASSWORD) $(MANAGE) generate_network --people $(BENCH_PEOPLE) --organisations $(BENCH_ORGANISATIONS)

bench: install-dev
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) migrate --verbosity 0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) benchmark --repeat $(BENCH_REPEAT)

# The people export of the largest organisation (streamed, and the way it was built before):
# wall and CPU time and peak memory of the workbook at 10,000 and 40,000 people, then the whole
# organisation's list as a job with its download (for about 40,000 in one organisation:
# make bench-data BENCH_PEOPLE=113500 BENCH_ORGANISATIONS=2; network-01 holds about 35 % of the
# people beside the other network organisation and the four the plan names).
bench-export: install-dev
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) migrate --verbosity 0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) bench_export --repeat 3

load-test: $(VENV)/.installed-bench
	DATABASE_URL=$(BENCH_DATABASE_URL) DEMO_PASSWORD=$(BENCH_PASSWORD) $(BIN)/python -m bench.load_test \
		--users $(BENCH_USERS) --seconds $(BENCH_SECONDS)

# The spreadsheet import at scale (issue 9): 10,000 people and 100,000 pieces of assistance into an
# empty PostgreSQL database of its own (created here, dropped first if it exists).
BENCH_IMPORT_DATABASE ?= ns_bench_import
BENCH_IMPORT_SERVER ?= postgres://postgres@127.0.0.1:5432
bench-import: install-dev
	psql $(BENCH_IMPORT_SERVER)/postgres -c 'DROP DATABASE IF EXISTS $(BENCH_IMPORT_DATABASE)' -c 'CREATE DATABASE $(BENCH_IMPORT_DATABASE)'
	DATABASE_URL=$(BENCH_IMPORT_SERVER)/$(BENCH_IMPORT_DATABASE) $(MANAGE) migrate --verbosity 0
	DATABASE_URL=$(BENCH_IMPORT_SERVER)/$(BENCH_IMPORT_DATABASE) $(MANAGE) bench_import

clean:
	rm -rf $(VENV) db.sqlite3 $(DEMO_PASSWORD_FILE) staticfiles
