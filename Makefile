# Gatehouse: `make run` to try it, `make test` to check it. Both install what they need first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
JS_STAMP := static/vendor/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format serve clean

install: $(PY_STAMP) $(JS_STAMP)

$(PY_STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --constraint constraints.txt --editable ".[dev]"
	touch $@

# Front-end packages come from npm and are served from static/vendor (no CDN at a gatehouse).
$(JS_STAMP): static/package.json static/package-lock.json
	cd static && npm ci --no-audit --no-fund --loglevel=error
	rm -rf static/vendor && mkdir -p static/vendor/htmx static/vendor/swagger-ui static/vendor/axe
	cp static/node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	cp static/node_modules/swagger-ui-dist/swagger-ui-bundle.js static/node_modules/swagger-ui-dist/swagger-ui.css \
	   static/node_modules/swagger-ui-dist/swagger-ui-standalone-preset.js static/vendor/swagger-ui/
	cp static/node_modules/axe-core/axe.min.js static/vendor/axe/
	touch $@

run: install
	$(BIN)/gatehouse migrate
	$(BIN)/gatehouse demo
	$(BIN)/gatehouse serve --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/gatehouse serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) static/node_modules static/vendor .pytest_cache .ruff_cache
