# Two commands: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# make run PORT=8080 serves on another port.
PORT ?= 8000

.PHONY: run test install migrate demo lint messages bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# .mo files are built, not committed: compile them on every install (polib,
# so no GNU gettext is needed).
install: $(STAMP)
	$(PY) manage.py compilemessages_py --verbosity 0

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Serving http://127.0.0.1:$(PORT)  (demo logins printed above; Ctrl-C to stop)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Extra pytest arguments: make test PYTEST_ARGS="tests/core -x"
# The suite runs on every CPU (pytest-xdist, one test database per worker);
# make test WORKERS=0 runs it in one process.
WORKERS ?= auto
test: install
	$(PY) -m pytest -n $(WORKERS) $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache

# Regenerate the ja catalog after changing strings (makemessages needs GNU
# gettext's xgettext; existing translations are kept).
messages: install
	$(PY) manage.py makemessages -l ja --no-obsolete --ignore=.venv --ignore=bench
	$(PY) manage.py makemessages -d djangojs -l ja --ignore=.venv --ignore=staticfiles
	$(PY) manage.py compilemessages_py

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) staticfiles
