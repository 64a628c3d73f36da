# Encore: `make run` serves the demo store on http://localhost:8000, `make test` runs everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test lint typecheck pytest extensions-test bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/encore db upgrade
	$(BIN)/encore demo
	$(BIN)/encore run --host 127.0.0.1 --port 8000

lint: install
	$(BIN)/ruff check plugin tests bench migrations
	$(BIN)/ruff format --check plugin tests bench

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest

# The Shopify extensions (npm project with a committed lockfile): unit tests and bundle size.
extensions-test:
	@if [ -f extensions/shopify/package.json ]; then \
		cd extensions/shopify && npm ci --no-audit --no-fund && npm test && npm run build; \
	fi

test: lint typecheck pytest extensions-test

bench: install
	$(BIN)/python bench/webhooks.py
	$(BIN)/python bench/storefront.py
	$(BIN)/python bench/offers.py
	$(BIN)/python bench/demo_load.py
	$(BIN)/python bench/eta.py

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
