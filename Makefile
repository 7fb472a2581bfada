# Siar: `make run` starts everything on an embedded setup; `make test` runs the whole test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint lock clean

$(STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
	  { echo "Siar needs Python 3.11 (found: $$($(PYTHON) --version 2>&1)). Run: make PYTHON=python3.11 ..."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "==> Installing pinned dependencies into $(VENV) (first run takes a minute)"
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -r requirements.lock
	@touch $(STAMP)

run: $(STAMP)
	@$(BIN)/python manage.py run_siar

test: $(STAMP)
	@$(BIN)/python scripts/run_tests.py

lint: $(STAMP)
	@$(BIN)/ruff check .
	@$(BIN)/python manage.py makemigrations --check --dry-run

lock: $(STAMP)
	@$(BIN)/python -m pip install --quiet -e ".[dev]"
	@{ echo "# Pinned versions of every package Siar installs (runtime + test tools)."; \
	   echo "# Regenerate after changing pyproject.toml: make lock"; \
	   $(BIN)/python -m pip freeze --exclude-editable; } > requirements.lock

clean:
	rm -rf $(VENV) var/
