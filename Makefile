# Gatehouse: `make run` to try it, `make test` to check it. Both install what they need first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
JS_STAMP := static/vendor/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format serve clean browser screenshots bench bench-ask fuzz messages

LOCALES := app/locale
MO_FILES := $(patsubst %.po,%.mo,$(wildcard $(LOCALES)/*/LC_MESSAGES/messages.po))

install: $(PY_STAMP) $(JS_STAMP) $(MO_FILES)

$(PY_STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --constraint constraints.txt --editable ".[dev]"
	touch $@

# Front-end packages come from npm and are served from static/vendor (no CDN at a gatehouse).
$(JS_STAMP): static/package.json static/package-lock.json
	cd static && npm ci --no-audit --no-fund --loglevel=error
	rm -rf static/vendor && mkdir -p static/vendor/htmx static/vendor/swagger-ui static/vendor/axe static/vendor/jsqr
	cp static/node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	cp static/node_modules/swagger-ui-dist/swagger-ui-bundle.js static/node_modules/swagger-ui-dist/swagger-ui.css \
	   static/node_modules/swagger-ui-dist/swagger-ui-standalone-preset.js static/vendor/swagger-ui/
	cp static/node_modules/axe-core/axe.min.js static/vendor/axe/
	cp static/node_modules/jsqr/dist/jsQR.js static/vendor/jsqr/
	touch $@

# Catalogs are compiled here, never committed: the .po files are the source.
$(LOCALES)/%/LC_MESSAGES/messages.mo: $(LOCALES)/%/LC_MESSAGES/messages.po $(PY_STAMP)
	$(BIN)/pybabel compile --statistics -i $< -o $@

# After changing texts: collect every marked message into the template and merge it into each catalog;
# then translate what is new (tests/unit/test_catalogs.py lists what is missing). Add a language with
# `$(BIN)/pybabel init -i $(LOCALES)/messages.pot -d $(LOCALES) -l <code>`.
messages: install
	$(BIN)/pybabel extract -F babel.cfg --add-location=file --sort-by-file --no-wrap \
	  --project=Gatehouse --copyright-holder=Gatehouse -c "Translators:" -o $(LOCALES)/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete --no-wrap -i $(LOCALES)/messages.pot -d $(LOCALES)

# The demo's community, named on its passes and emails; a real installation sets its own COMMUNITY_NAME and
# COMMUNITY_ADDRESS (or none: `make serve` adds nothing), and these give way to them.
run: export COMMUNITY_NAME ?= Jacaranda Gardens
run: export COMMUNITY_ADDRESS ?= 1200 Jacaranda Avenue, Springfield
run: install
	$(BIN)/gatehouse migrate
	$(BIN)/gatehouse demo --url http://$(HOST):$(PORT)
	PUBLIC_URL="$${PUBLIC_URL:-http://$(HOST):$(PORT)}" $(BIN)/gatehouse serve --host $(HOST) --port $(PORT)

serve: install
	PUBLIC_URL="$${PUBLIC_URL:-http://$(HOST):$(PORT)}" $(BIN)/gatehouse serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Browser tests drive Debian's Chromium; as root on Debian we install it, elsewhere they are skipped.
browser:
	@if [ -z "$$CHROMIUM_PATH" ] && [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get install -y -qq chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium)) \
	      || echo "Could not install chromium: browser tests will be skipped"; \
	  else echo "No Chromium (apt-get install chromium, or set CHROMIUM_PATH): browser tests will be skipped"; fi; \
	fi

# The suite runs on every core (pytest-xdist: each worker has its own database, tests/workers.py), a module's
# tests in one worker so they share its server and browser. `make test PARALLEL=-n0` runs it in one process.
PARALLEL ?= -n auto --dist loadfile --no-loadscope-reorder

test: install lint browser
	$(BIN)/python -m pytest $(PARALLEL)

# Schemathesis against /schema/openapi.json: 200 generated cases per operation, fixed seed, all checks
# (make test runs the same test with 25 cases per operation, or FUZZ_CASES of them as .ci/run does, 200, beside
# the other tests). TEST_DATABASE_URL selects PostgreSQL.
fuzz: install
	FUZZ_CASES=200 $(BIN)/python -m pytest -q tests/fuzz

screenshots: install browser
	SCREENSHOT_DIR=docs/screenshots $(BIN)/python -m pytest -q tests/web/test_kiosk_browser.py tests/web/test_resident_browser.py tests/web/test_admin_browser.py tests/web/test_gate_browser.py \
	  tests/web/test_language_browser.py tests/web/test_board_geometry_browser.py tests/web/test_permissions_browser.py \
	  tests/web/test_parcels_browser.py tests/web/test_gates_browser.py tests/web/test_pass_browser.py \
	  tests/web/test_header_and_fit_browser.py tests/web/test_reports_browser.py

# Throughput and latency against a bare-Litestar baseline, SQLite and (when one answers) PostgreSQL: bench/run.py.
bench: install
	@command -v wrk >/dev/null || (apt-get install -y -qq wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk))
	$(BIN)/python bench/run.py

# Asking the resident (issue #16): from the guard's question to the household's page, and the answer to the gate.
bench-ask: install
	$(BIN)/python bench/asking.py

clean:
	rm -rf $(VENV) static/node_modules static/vendor .pytest_cache .ruff_cache
