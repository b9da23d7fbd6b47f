# Two commands on a fresh machine: `make run` and `make test`. See README.md.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/wib
# Two workers: the suite is mostly waiting on the database and the browser.
PYTEST_ARGS ?= -n 2
export PYTHONPATH := src

.PHONY: run test test-sqlite test-postgres lint install messages system-deps clean demo-reset

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	@mkdir -p "$${WIB_VAR_DIR:-var}"  # ignored by git: a fresh clone has no var/ yet
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py runservice

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy src
	$(BIN)/lint-imports

system-deps:
	@scripts/ensure-system-deps

test: install system-deps lint test-sqlite test-postgres

test-sqlite: install
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest -q $(PYTEST_ARGS)

test-postgres: install
	@if $(BIN)/python scripts/pg_available.py "$${DATABASE_URL:-$(PG_URL)}"; then \
		echo "== test suite on PostgreSQL =="; \
		DATABASE_URL="$${DATABASE_URL:-$(PG_URL)}" $(BIN)/pytest -q $(PYTEST_ARGS); \
	elif [ "$$WIB_REQUIRE_POSTGRES" = "1" ]; then \
		echo "PostgreSQL is not reachable at $${DATABASE_URL:-$(PG_URL)} and WIB_REQUIRE_POSTGRES=1: failing."; exit 1; \
	else \
		echo "PostgreSQL is not reachable at $${DATABASE_URL:-$(PG_URL)}: the PostgreSQL run is SKIPPED (set WIB_REQUIRE_POSTGRES=1 to fail instead)."; \
	fi

messages: install
	cd src/wib && ../../$(BIN)/django-admin makemessages -l nl -l fr -l de -l en --no-obsolete --no-location
	cd src/wib && ../../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) var/static
