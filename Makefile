# Boundaries: `make run` starts the app with demo data; `make test` runs the whole test suite.
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app edu
STAMP := $(VENV)/.installed-stamp
TRANSLATIONS := $(patsubst %.po,%.mo,$(wildcard edu/translations/*/LC_MESSAGES/messages.po))

.PHONY: install run test test-sqlite test-postgres lint lock lock-upgrade lock-check translations \
	extract-messages screenshots bench

# Locked dependencies: requirements.lock pins every package (runtime and the `test` extra, uv itself included) for
# every platform and Python the project allows. `make` installs exactly that set, then the project with --no-deps.
LOCK := requirements.lock
UV := $(VENV)/bin/uv
# Pins already in the output file are kept as preferences: only what a change to pyproject.toml needs moves.
LOCK_COMPILE = $(UV) pip compile pyproject.toml --extra test --universal --quiet --custom-compile-command 'make lock'

# uv at the version the lock pins (plain `uv` only if the lock is missing); afterwards the lock keeps it there.
$(UV):
	python3 -m venv $(VENV)
	uv_pin=$$(sed -n 's/^\(uv==[^ ;]*\).*/\1/p' $(LOCK) 2>/dev/null); $(PY) -m pip install --quiet "$${uv_pin:-uv}"

$(STAMP): pyproject.toml $(LOCK) | $(UV)
	$(UV) pip sync --quiet --python $(PY) $(LOCK)
	$(UV) pip install --quiet --python $(PY) --no-deps -e .
	touch $(STAMP)

install: $(STAMP) translations

%.mo: %.po $(STAMP)
	$(VENV)/bin/pybabel compile --statistics -i $< -o $@

translations: $(TRANSLATIONS)

# The sign-ins and the address come last, just before the server starts (Flask does not print the address).
HOST ?= 127.0.0.1
PORT ?= 5000
run: install
	$(FLASK) db upgrade
	$(FLASK) insights refresh
	$(FLASK) demo --address http://$(HOST):$(PORT)
	$(FLASK) run --host $(HOST) --port $(PORT)

# The whole suite: pure and SQLite tests, browser tests (skipped with a reason when Chromium is missing),
# then the database tests again on PostgreSQL (skipped with a reason when no server answers).
test: test-sqlite test-postgres

test-sqlite: install
	$(PY) -m pytest

test-postgres: install
	$(PY) -m pytest tests/integration --db=postgresql

lint: install
	$(VENV)/bin/ruff check edu tests

# Re-resolve requirements.lock after a change to pyproject.toml's dependencies (existing pins are kept).
lock: | $(UV)
	$(LOCK_COMPILE) -o $(LOCK)

# Move every pin to the newest release pyproject.toml allows (then run `make test` and commit the lock).
lock-upgrade: | $(UV)
	$(LOCK_COMPILE) --upgrade -o $(LOCK)

# Fails when pyproject.toml and requirements.lock disagree (a dependency added or removed, a pin outside its range);
# a newer release on PyPI alone changes nothing, since the lock's pins are the resolver's preferences.
lock-check: | $(UV)
	@tmp=$$(mktemp); cp $(LOCK) $$tmp; \
	$(LOCK_COMPILE) -o $$tmp && diff -u --label '$(LOCK) (committed)' --label '$(LOCK) (pyproject.toml resolved)' $(LOCK) $$tmp; \
	status=$$?; rm -f $$tmp; \
	if [ $$status -ne 0 ]; then echo "lock-check: $(LOCK) does not match pyproject.toml; run 'make lock' and commit it" >&2; exit 1; fi; \
	echo "lock-check: $(LOCK) matches pyproject.toml"

# PNGs of the main pages at 360 px and 1280 px, in Korean and English, into screenshots/ (not committed).
screenshots: install
	$(PY) -m tests.browser.screenshots screenshots

extract-messages: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o edu/translations/messages.pot --no-location --sort-output .
	$(VENV)/bin/pybabel update -i edu/translations/messages.pot -d edu/translations --no-fuzzy-matching --ignore-obsolete -w 110

# Benchmarks (bench/): each prints its figures beside its baseline; about 20 minutes on 2 cores.
# Needs wrk (apt-get install -y wrk) and, for the page weight, /usr/bin/chromium.
bench: install
	$(PY) -m bench.run_all
