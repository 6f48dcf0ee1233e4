# Two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
PORT ?= 8000

.PHONY: run test catalogs messages diagrams migrate worker web lint clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

catalogs: $(STAMP)
	@$(BIN)/python scripts/i18n.py compile

# Re-extract message ids after changing texts; CI fails when this is stale.
messages: $(STAMP)
	$(BIN)/python scripts/i18n.py update

# Redraw the flow and workflow diagrams (.mmd) from their machines; a test fails when one is stale.
diagrams: $(STAMP)
	$(BIN)/python scripts/diagrams.py

migrate: $(STAMP)
	$(BIN)/alembic upgrade head

run: $(STAMP) catalogs migrate
	@$(BIN)/python -m bot.devrun --port $(PORT)

test: $(STAMP) catalogs
	$(BIN)/python -m pytest -n auto

clean:
	rm -rf $(VENV) instance .pytest_cache
