# Encore: `make run` serves the demo store on http://localhost:8000, `make test` runs everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test lint typecheck pytest extensions-test woocommerce-plugin-test dist bench bench-crash clean

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
	$(BIN)/ruff check plugin tests bench
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

# The WordPress companion plugin: `php -l` on every file, then its test script. Without PHP
# this is skipped with a message locally and fails under CI=true (.ci/run installs php-cli).
WC_PLUGIN := extensions/woocommerce/encore-for-woocommerce
woocommerce-plugin-test:
	@if ! command -v php >/dev/null 2>&1; then \
		if [ "$${CI:-}" = "true" ]; then echo "php is missing: install php-cli (.ci/run does)"; exit 1; fi; \
		echo "SKIPPED: WordPress plugin checks need php (apt-get install php-cli)"; \
	else \
		find extensions/woocommerce -name '*.php' -print0 | xargs -0 -n1 php -l >/dev/null && \
		php extensions/woocommerce/tests/run.php; \
	fi

# The installable plugin zip (upload in WordPress: Plugins → Add New → Upload Plugin).
dist:
	@mkdir -p dist
	@rm -f dist/encore-for-woocommerce.zip
	$(PYTHON) -m zipfile -c dist/encore-for-woocommerce.zip $(WC_PLUGIN)
	@echo "dist/encore-for-woocommerce.zip"

test: lint typecheck pytest extensions-test woocommerce-plugin-test

# Figures for README. bench/load.py starts gunicorn on PostgreSQL (skipped with a reason when no
# server answers on 127.0.0.1:5432) and takes about five minutes.
bench: install
	$(BIN)/python bench/webhooks.py
	$(BIN)/python bench/storefront.py
	$(BIN)/python bench/offers.py
	$(BIN)/python bench/attribution.py
	$(BIN)/python bench/eta.py
	$(BIN)/python bench/demo_load.py
	$(BIN)/python bench/load.py

# The crash proof (5,000 webhooks while processes are SIGKILLed, on SQLite and PostgreSQL; 10-20
# minutes): exits non-zero when an accepted event was lost or processed twice.
bench-crash: install
	$(BIN)/python bench/crash.py

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
