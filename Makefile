# Trappa: `make demo` runs the demo, `make test` runs the whole test suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
DEMO_ENV := TRAPPA_DEMO=true TRAPPA_TASKS=immediate TRAPPA_REQUIRE_TWO_FACTOR=false DATABASE_URL=sqlite:///$(CURDIR)/var/demo.sqlite3
TEST_ENV := TRAPPA_TESTING=1 TRAPPA_TASKS=immediate TRAPPA_ALLOW_SYNTHETIC_IDS=true

# The lock files (requirements.txt, requirements-dev.txt) pin every package, transitive ones included, with
# hashes; `make lock` regenerates them from the sources (requirements.in, requirements-dev.in) for Python 3.11
# on Linux x86_64, from PyPI. LOCK_ARGS passes more options, e.g. LOCK_ARGS="--upgrade-package cryptography".
LOCK := $(VENV)/bin/uv pip compile --quiet --generate-hashes --python-version 3.11 \
	--python-platform x86_64-unknown-linux-gnu --index-url https://pypi.org/simple \
	--custom-compile-command "make lock" $(LOCK_ARGS)

.PHONY: demo test lint bench browser-deps designsystemet messages lock clean

# Installs exactly the lock: every package hash-checked, none pulled in beyond it (--no-deps), then `pip check`.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-dev.txt
	$(VENV)/bin/pip check --disable-pip-version-check >/dev/null
	touch $@

lock: $(VENV)/.installed
	$(LOCK) requirements.in -o requirements.txt
	$(LOCK) requirements-dev.in --constraint requirements.txt -o requirements-dev.txt

# Compiled translations (.mo) are built from the .po files in locale/.
messages: $(VENV)/.installed
	env -u DJANGO_SETTINGS_MODULE $(VENV)/bin/django-admin compilemessages >/dev/null

demo: $(VENV)/.installed messages
	mkdir -p var
	rm -f var/demo.sqlite3 var/demo.sqlite3-wal var/demo.sqlite3-shm
	$(DEMO_ENV) $(MANAGE) migrate --no-input -v 0
	$(DEMO_ENV) $(MANAGE) setup_demo
	$(DEMO_ENV) $(MANAGE) runserver 127.0.0.1:8000 --noreload

# Debian's Chromium and axe-core (npm, pinned in package-lock.json) for the browser tests.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)
	@test -f node_modules/axe-core/axe.min.js -a -f node_modules/@digdir/designsystemet-css/package.json || npm ci --silent --no-audit --no-fund

# Digdir's Designsystemet CSS (npm, pinned in package-lock.json), copied into static/ so it is
# served like Trappa's own CSS: production needs no npm, and nothing is fetched at run time.
designsystemet: browser-deps
	mkdir -p static/vendor/designsystemet
	cp node_modules/@digdir/designsystemet-css/dist/src/index.css static/vendor/designsystemet/designsystemet.css
	cp node_modules/@digdir/designsystemet-css/dist/theme/designsystemet.css static/vendor/designsystemet/theme.css
	cp node_modules/@digdir/designsystemet-css/LICENSE static/vendor/designsystemet/LICENSE

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(TEST_ENV) $(MANAGE) makemigrations --check --dry-run >/dev/null

test: $(VENV)/.installed browser-deps messages lint
	$(TEST_ENV) $(VENV)/bin/pytest -q $(PYTEST_ARGS)

bench: $(VENV)/.installed
	$(PY) -m benchmarks.run

clean:
	rm -rf $(VENV) var node_modules
