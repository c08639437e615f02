# minigrad: everyday commands.
#
#   make lab     set everything up, then open the lessons in JupyterLab
#   make test    set everything up (plus test tools), then run the whole test suite
#   make bench   run the benchmarks
#
# Everything Python goes into .venv/ in this folder; nothing is installed
# system-wide except Graphviz (and Chromium for `make test`) when run as root.
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

.PHONY: help venv lab test bench dot test-system-deps clean

help:
	@echo "make lab     set up .venv and open the lessons (notebooks/) in JupyterLab"
	@echo "make test    set up .venv with the test tools and run all tests"
	@echo "make bench   run benchmarks/run.py"
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

# The Python `graphviz` package only writes DOT text; drawing it needs the
# `dot` program from Graphviz.
define NO_DOT_HELP
Graphviz's `dot` program is not on PATH, and installing it needs admin rights.
Install it with one of these, then run make again:
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

# Browser tests drive JupyterLab in Debian's Chromium at /usr/bin/chromium.
# Without it (and without root to install it) they skip and say why.
# Both packages go into one apt-get run to pay for `apt-get update` once.
test-system-deps:
	@missing=""; \
	command -v dot >/dev/null 2>&1 || missing="$$missing graphviz"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$(IS_ROOT)" = yes ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing$$missing with apt-get"; \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	else \
	  case "$$missing" in *graphviz*) echo "$$NO_DOT_HELP" >&2; exit 1;; esac; \
	  echo "Note: no /usr/bin/chromium, so the browser tests will be skipped" \
	       "(to run them: sudo apt-get install chromium)."; \
	fi

# --- What people run ---------------------------------------------------------

lab: dot $(LAB_STAMP)
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
