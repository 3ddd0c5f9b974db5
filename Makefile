# Boundaries: `make run` starts the app with demo data; `make test` runs the whole test suite.
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app edu
STAMP := $(VENV)/.installed-stamp
TRANSLATIONS := $(patsubst %.po,%.mo,$(wildcard edu/translations/*/LC_MESSAGES/messages.po))

.PHONY: install run test test-sqlite test-postgres lint translations extract-messages screenshots bench

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) translations

%.mo: %.po $(STAMP)
	$(VENV)/bin/pybabel compile --statistics -i $< -o $@

translations: $(TRANSLATIONS)

run: install
	$(FLASK) db upgrade
	$(FLASK) demo
	$(FLASK) insights refresh
	$(FLASK) run --host 127.0.0.1 --port 5000

# The whole suite: pure and SQLite tests, browser tests (skipped with a reason when Chromium is missing),
# then the database tests again on PostgreSQL (skipped with a reason when no server answers).
test: test-sqlite test-postgres

test-sqlite: install
	$(PY) -m pytest

test-postgres: install
	$(PY) -m pytest tests/integration --db=postgresql

lint: install
	$(VENV)/bin/ruff check edu tests

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
