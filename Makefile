# Parcours: two commands for users (make run, make test); the rest are for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test setup lint bench bench-load bench-results messages serve worker

$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Parcours needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

setup: $(BIN)/.installed

# Set up, migrate, load the demo world (idempotent), start a task worker and the web server.
run: setup
	$(BIN)/parcours migrate --noinput -v0
	$(BIN)/parcours seed
	@echo ""
	@echo "Parcours: http://127.0.0.1:$(PORT)/   (password for every demo login: parcours-demo)"
	@echo "  admin  reception.bamako  protection.bamako  caseworker.kayes  caseworker.ajdm  centre.gao"
	@echo "  enumerator.gao  focal.sikasso  partner.cfpm  me.iom  manager.eu  auditor"
	@echo ""
	$(BIN)/parcours run --port $(PORT)

# The whole suite on SQLite, then on PostgreSQL when DATABASE_URL points at one (as in CI).
test: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/parcours makemigrations --check --dry-run -v0
	$(BIN)/python scripts/check_translations.py
	env -u DATABASE_URL -u DJANGO_SETTINGS_MODULE $(BIN)/pytest --ds=parcours.settings.test
	@case "$${DATABASE_URL:-}" in postgres*) echo "== PostgreSQL: $$DATABASE_URL"; \
	  env -u DJANGO_SETTINGS_MODULE $(BIN)/pytest --ds=parcours.settings.test ;; esac

lint: setup
	$(BIN)/ruff check .

# Registry speed on PostgreSQL (needs DATABASE_URL-style access to 127.0.0.1:5432), then matching
# quality and speed against Splink. Installs the benchmark-only packages first.
bench: setup
	$(BIN)/pip install -q -r bench/requirements.txt
	$(BIN)/python bench/run.py

# The results dashboard with 1 000 000 people, 1 000 000 ledger entries and 10 000 000 flow count rows on
# PostgreSQL, cold and warm, beside DuckDB over the same facts in Parquet (figures must agree). ~40 min.
bench-results: setup
	$(BIN)/pip install -q -r bench/requirements.txt
	$(BIN)/python bench/results.py

# 50 simulated staff for 3 minutes against gunicorn on PostgreSQL with the demo world (127.0.0.1 only):
# p50/p95/p99 per page and API list, errors, 5xx. DURATION=10m for the issue's ten minutes.
bench-load: setup
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python bench/load.py --users $${USERS:-50} --duration $${DURATION:-3m}

# Extract strings of every app into its own locale/fr catalogue, then compile (needs GNU gettext).
messages: setup
	$(BIN)/python scripts/messages.py
