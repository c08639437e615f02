# minigrad: everyday commands.
#
#   make lab     set everything up, then open the lessons in JupyterLab
#   make test    set everything up (plus test tools), then run the whole test suite
#   make bench   run the benchmarks
#   make dot     (optional) install Graphviz's `dot`: a static picture kept in
#                saved notebooks, and SVG/PNG export from Python
#   make vendor  fetch the browser's Graphviz (WebAssembly) again from npm and
#                check it against its pinned sha256
#
# Everything Python goes into .venv/ in this folder. The graphs are drawn in
# the browser (Graphviz compiled to WebAssembly, vendored in widgets/static/),
# so neither target needs Graphviz; `make test` installs Chromium when run as
# root, for the browser tests.
# A second run skips what is already done, so both targets are quick to repeat.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
IS_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo yes)

# An editable install maps the top-level packages that existed when it ran.
# The stamp names list the packages present now, so when a package directory
# appears later (say widgets/ after a first install) the install runs again.
PACKAGES := $(patsubst %/__init__.py,%,$(wildcard minigrad/__init__.py widgets/__init__.py))
empty :=
space := $(empty) $(empty)
TAG   := $(or $(subst $(space),+,$(strip $(PACKAGES))),none)
CORE_STAMP := $(VENV)/.installed-core-$(TAG)
LAB_STAMP  := $(VENV)/.installed-lab-$(TAG)
TEST_STAMP := $(VENV)/.installed-test-$(TAG)

SANITIZE := notebooks/nbval-sanitize.cfg

.PHONY: help venv lab test bench dot vendor test-system-deps clean

help:
	@echo "make lab     set up .venv and open the lessons (notebooks/) in JupyterLab"
	@echo "make test    set up .venv with the test tools and run all tests"
	@echo "make bench   run benchmarks/run.py"
	@echo "make dot     (optional) install Graphviz's dot: static pictures in saved notebooks, export from Python"
	@echo "make vendor  fetch widgets/static/graphviz/viz.js from npm and check its pinned sha256"
	@echo "make clean   delete .venv and caches"

# --- Python environment ------------------------------------------------------

venv: $(VENV)/pyvenv.cfg

$(VENV)/pyvenv.cfg:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || \
	  { echo "minigrad needs Python 3.10 or newer; '$(PYTHON)' is older. Try: make PYTHON=python3.11 ..." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Editable install (-e): edits to minigrad/ show up without reinstalling.
$(CORE_STAMP): pyproject.toml | $(VENV)/pyvenv.cfg
	$(PIP) install -e .
	@touch $@

$(LAB_STAMP): pyproject.toml | $(VENV)/pyvenv.cfg
	$(PIP) install -e '.[lab]'
	@touch $@ $(CORE_STAMP)

$(TEST_STAMP): pyproject.toml | $(VENV)/pyvenv.cfg
	$(PIP) install -e '.[lab,test]'
	@touch $@ $(LAB_STAMP) $(CORE_STAMP)

# --- Programs from the operating system --------------------------------------

# Optional. The widget draws in the browser; the `dot` program adds what the
# kernel itself must draw: the static picture (SVG, PNG) a saved notebook shows
# where no widget runs, and view.export()/draw().render() from Python.
define NO_DOT_HELP
Graphviz's `dot` program is not on PATH, and installing it needs admin rights.
(It is optional: the lessons draw their graphs without it.) Install it with one of these:
  Debian/Ubuntu:  sudo apt-get install graphviz
  macOS:          brew install graphviz
  conda:          conda install -c conda-forge graphviz
endef
export NO_DOT_HELP

dot:
	@if command -v dot >/dev/null 2>&1; then exit 0; fi; \
	if [ "$(IS_ROOT)" = yes ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Graphviz (for dot) with apt-get"; \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y graphviz; \
	else \
	  echo "$$NO_DOT_HELP" >&2; exit 1; \
	fi

# The browser's Graphviz, vendored: exactly the version VENDOR.json pins.
vendor: $(CORE_STAMP)
	$(BIN)/python -m widgets.vendor

# Browser tests drive JupyterLab in Debian's Chromium at /usr/bin/chromium.
# Without it (and without root to install it) they skip and say why.
# Graphviz is not needed: tests of what `dot` adds skip without it.
test-system-deps:
	@if [ -x /usr/bin/chromium ]; then exit 0; fi; \
	if [ "$(IS_ROOT)" = yes ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing chromium with apt-get"; \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	else \
	  echo "Note: no /usr/bin/chromium, so the browser tests will be skipped" \
	       "(to run them: sudo apt-get install chromium)."; \
	fi

# --- What people run ---------------------------------------------------------

lab: $(LAB_STAMP)
	$(BIN)/jupyter lab notebooks/ $(if $(IS_ROOT),--allow-root)

# Runs both suites even if the first fails, and fails if either did.
# nbval only runs once notebooks/ holds a notebook: with none, pytest would
# exit 5 ("no tests collected").
test: test-system-deps $(TEST_STAMP)
	@status=0; has_notebooks=; \
	if find notebooks -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' 2>/dev/null | grep -q .; then \
	  has_notebooks=yes; \
	else \
	  echo "notebooks/ has no notebooks yet, so nbval has nothing to check and is not run."; \
	fi; \
	echo "$(BIN)/python -m pytest tests/"; \
	$(BIN)/python -m pytest tests/ || status=$$?; \
	if [ -n "$$has_notebooks" ]; then \
	  echo "$(BIN)/python -m pytest --nbval notebooks/ --nbval-sanitize-with $(SANITIZE) --nbval-current-env -p no:cacheprovider"; \
	  $(BIN)/python -m pytest --nbval notebooks/ --nbval-sanitize-with $(SANITIZE) --nbval-current-env -p no:cacheprovider || status=$$?; \
	fi; \
	exit $$status

bench: $(CORE_STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis test-results
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
