# The two commands of README.md: `make run` (install, serve on built-in data) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8050

.PHONY: run test install install-dev system-test-deps lint

run: install
	$(PY) -m dashboard serve --host $(HOST) --port $(PORT)

test: install-dev system-test-deps lint
	$(PY) -m pytest -q

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

install: $(VENV)/.installed-run

install-dev: $(VENV)/.installed-dev

$(VENV)/.installed-run: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed-run $@

# Browser tests need Debian's chromium and chromium-driver; the Celery test needs redis-server.
system-test-deps:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null && command -v redis-server >/dev/null; then \
		echo "chromium, chromedriver and redis-server are installed"; \
	else \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver redis-server; \
	fi
