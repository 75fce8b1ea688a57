# smmkit: `make help` lists the targets. Everything runs inside ./.venv (created on first use).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-runtime
STAMP_DEV := $(VENV)/.installed-dev
STAMP_LAB := $(VENV)/.installed-lab
# make reports MONTH=2026-10 | END=2026-10-31 [WINDOW=28d]; with neither: the demo period for the
# demo clients, each other client's last complete month of data (scripts/reports.py)
MONTH ?=
END ?=
WINDOW ?= 28d
CLIENTS_DIR ?= data/clients
DEMO_CLIENTS ?= coffee-point atelier-nord nimbus-crm

.DEFAULT_GOAL := help
.PHONY: help install browser test test-fast reports validate lab bench bench-forecast lint format demo-data docs clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-11s %s\n", $$1, $$2}'

# Three installs, each with its stamp in .venv, so each target installs only what it lacks:
# the runtime (requirements.txt + the kit: what `make reports` needs), the test, lint and benchmark
# stack on top (requirements-dev.txt), JupyterLab on top (requirements-lab.txt). constraints.txt
# pins every one of them. The runtime installs with --no-compile: no .pyc for the whole stack up
# front (130 MB of 577); scripts/compile_runtime.py then writes those of the modules a run imports
# (~36 MB): Python would write them on first import, but not under PYTHONDONTWRITEBYTECODE (set
# on these machines, and in many containers), where every run compiled the stack again (the 3 demo
# clients 12.8 s instead of 9.0 s). The kit itself is installed editable (its source is this
# folder, which pip never compiles): its .pyc are written at install for the same reason (about
# 0.1 s of CPU in each runner, worker and kernel that imports it). The test suites that pandas,
# numpy, matplotlib, pyarrow... ship in their wheels (28 MB; no run imports them) are removed:
# scripts/prune_runtime.py. The test stack compiles everything, as pip does by default (a suite
# under PYTHONDONTWRITEBYTECODE would otherwise compile pandas & co. in every process it starts).
# Python 3.11's venv comes with setuptools 65 (9 MB with pkg_resources): no installed package
# imports it, and pip builds the kit with the setuptools>=77 of pyproject's [build-system] in an
# isolated environment, so the new venv drops it (Python 3.12's venv has none).
PIP := $(BIN)/python -m pip install --quiet --no-compile
SITE = $(shell $(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11 or run make PYTHON=python3"; exit 2; }
	$(PYTHON) -m venv $(VENV) || { echo "error: cannot create $(VENV); on Debian/Ubuntu: apt-get install python3.11-venv"; exit 2; }
	$(PIP) --upgrade pip
	$(BIN)/python -m pip uninstall --quiet --yes setuptools

$(STAMP_RUN): requirements.txt constraints.txt pyproject.toml | $(BIN)/python
	$(PIP) -r requirements.txt -c constraints.txt
	$(PIP) --no-deps -e .
	$(BIN)/python -m compileall -qq smmkit  # the kit's own .pyc: see above
	$(BIN)/python scripts/prune_runtime.py >/dev/null  # the test suites the stack's wheels ship: see above
	$(BIN)/python scripts/compile_runtime.py  # the .pyc of the stack's modules a run imports: see above
	$(BIN)/python -m ipykernel install --sys-prefix --name smmkit --display-name "Python (smmkit)" >/dev/null
	@touch $@

$(STAMP_DEV): $(STAMP_RUN) requirements-dev.txt
	$(PIP) -r requirements-dev.txt -c constraints.txt
	$(BIN)/python -m compileall -qq -j 0 $(SITE) || true  # as pip does, skip a file that does not compile
	@touch $@

$(STAMP_LAB): $(STAMP_RUN) requirements-lab.txt
	$(PIP) -r requirements-lab.txt -c constraints.txt
	$(BIN)/python -m compileall -qq -j 0 $(SITE) || true  # as pip does (and make bench's naive loop imports it)
	@touch $@

install: $(STAMP_RUN) ## Create .venv and install the kit with what rendering needs (skipped when nothing changed)

.PHONY: install-dev fuzz
install-dev: $(STAMP_DEV) ## Install, plus the test, lint and benchmark stack (requirements-dev.txt)

browser: ## Install Debian's chromium and the colour emoji font for the browser tests (needs root; skipped when present)
	@if command -v chromium >/dev/null && fc-list 2>/dev/null | grep -q "Noto Color Emoji"; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing chromium and fonts-noto-color-emoji (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core \
			fonts-noto-color-emoji >/dev/null; \
	else echo "note: chromium or fonts-noto-color-emoji missing and cannot apt-get them; browser tests may skip or fail"; fi

test: install-dev $(STAMP_LAB) browser lint ## Install with the test stack (and JupyterLab: tests/e2e drive it), then lint and run the whole test suite
	$(BIN)/python -m pytest -q

test-fast: install-dev ## Run the suite without notebook executions and browser tests
	$(BIN)/python -m pytest -q -m "not slow and not browser"

FUZZ_EXAMPLES ?= 2000
FUZZ_RANDOM ?= 0
fuzz: install-dev ## Fuzz the export readers: FUZZ_EXAMPLES mutants of the real files (FUZZ_RANDOM=1: new ones)
	SMMKIT_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) SMMKIT_FUZZ_RANDOM=$(FUZZ_RANDOM) \
		$(BIN)/python -m pytest tests/adversarial/test_fuzz.py -q

validate: install ## Validate every demo client's exports
	@set -e; for d in $(CLIENTS_DIR)/*/; do $(BIN)/smmkit validate $$d; done

reports: install ## Render every client: MONTH=2026-10, or END=2026-10-31 [WINDOW=28d]; neither: demo period / each client's last complete month
	$(BIN)/python scripts/reports.py $(CLIENTS_DIR) $(if $(MONTH),--month $(MONTH)) $(if $(END),--end $(END) --window $(WINDOW)) --demo $(DEMO_CLIENTS)

lab: $(STAMP_LAB) ## Install JupyterLab (requirements-lab.txt), open it on notebooks/ (kernel "smmkit")
	cd notebooks && ../$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root,)

# The naive loop of make bench runs where an analyst runs papermill and nbconvert by hand: beside
# JupyterLab (the declared stack; the issue-25 baseline's venv had it too). Without it the naive
# loop's processes skip jsonschema's format checkers (rfc3987-syntax's grammar, ~0.9 s in each),
# so the reference depended on whether make test had installed it in this clone first.
bench: install-dev $(STAMP_LAB) ## Benchmarks: smmkit run against the naive loop, loading 1M posts, the forecast band's coverage, what make reports installs (writes BENCHMARKS.md), loading and KPIs
	$(BIN)/python benchmarks/run.py --out BENCHMARKS.md
	$(BIN)/python benchmarks/forecast.py --out BENCHMARKS.md
	$(BIN)/python benchmarks/load.py --out BENCHMARKS.md
	$(BIN)/python benchmarks/figures.py --out BENCHMARKS.md
	$(BIN)/python benchmarks/scale.py --out BENCHMARKS.md
	$(BIN)/python benchmarks/install.py --out BENCHMARKS.md
	$(BIN)/python -m pytest benchmarks -q --benchmark-only --benchmark-columns=median,iqr,rounds

bench-forecast: install-dev ## The forecast band's backtest alone (seconds): its coverage per kind of series into BENCHMARKS.md
	$(BIN)/python benchmarks/forecast.py --out BENCHMARKS.md

lint: install-dev ## ruff check and format check (notebooks too); the layer contract (.importlinter)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install-dev ## Format code and notebooks with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

docs: install ## Regenerate docs/kpis.md from the KPI catalogue (smmkit/catalogue.py)
	$(BIN)/python scripts/make_kpi_reference.py

demo-data: install ## Regenerate the demo clients (deterministic)
	$(BIN)/python scripts/make_demo_data.py

clean: ## Remove reports and caches (keeps .venv)
	rm -rf reports .pytest_cache .ruff_cache .hypothesis .benchmarks
	find $(CLIENTS_DIR) -maxdepth 2 -name .smmkit-cache -type d -exec rm -rf {} +
