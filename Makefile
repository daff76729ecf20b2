# leadlib: `make help` lists the targets.
# Set-up is automatic: every target that needs Python creates .venv (if missing)
# and installs leadlib with its dev extra, then reinstalls when pyproject.toml changes.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
STUDY  ?= data
OUT    ?= reports
JOBS   ?= 2
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]-*.ipynb) notebooks/site-report.ipynb $(wildcard notebooks/exercises/*.ipynb))
CHROMIUM ?= /usr/bin/chromium

.DEFAULT_GOAL := help
.PHONY: help setup chromium report test test-fast lint format notebooks lab data check classroom bench clean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (leadlib)" >/dev/null
	@touch $(STAMP)

setup: $(STAMP) ## create .venv and install leadlib with everything the tests, notebooks and reports need

$(CHROMIUM):
	@echo "Installing Debian's chromium (the headless browser the report tests open the HTML in)"
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else echo "make test needs Debian's chromium: run 'apt-get install chromium' as root"; exit 1; fi

chromium: $(CHROMIUM) ## install Debian's chromium (apt-get) if it is missing: the browser test needs it

report: $(STAMP) ## run the main job: render the study report and the site reports of the bundled study into reports/
	$(PY) -m leadlib report --study $(STUDY) --out $(OUT) --jobs $(JOBS)
	@echo "open $(OUT)/index.html"

test: $(STAMP) $(CHROMIUM) lint ## the quality gate (lint), then the whole test suite: notebooks (nbval) and browser test included
	$(PY) -m pytest

lint: $(STAMP) ## ruff (lint and format) and the import contract of the layers (docs/architecture.md)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(STAMP) ## apply ruff's formatting and safe fixes
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test-fast: $(STAMP) ## run the tests without the notebooks and the slow tests
	$(PY) -m pytest tests -m "not slow"

notebooks: $(STAMP) ## re-run every notebook top to bottom and save its outputs (what nbval compares against)
	$(PY) -m leadlib._notebooks execute $(NOTEBOOKS)

lab: $(STAMP) ## open JupyterLab on the notebooks for interactive exploration
	$(VENV)/bin/jupyter lab notebooks/

data: $(STAMP) ## regenerate the bundled synthetic study in data/ and its REFI-QDA export (byte-identical)
	$(PY) -m leadlib simulate --out data --sites 20 --seed 2003 --overwrite
	$(PY) -m leadlib.simulate.exports

check: $(STAMP) lint ## the quality gate (lint), then validate the bundled study and print its row accounting
	$(PY) -m leadlib check $(STUDY)

classroom: $(STAMP) ## write student and instructor versions of the exercises into classroom/
	$(PY) -m leadlib classroom --out classroom

bench: $(STAMP) ## run the benchmarks (prints ratios against a floor measured in the same run)
	for b in benchmarks/bench_*.py; do $(PY) $$b || exit 1; done

clean: ## remove generated reports, caches and the classroom folders (not .venv)
	rm -rf $(OUT) classroom .pytest_cache
	find . -name .leadlib-cache -type d -prune -exec rm -rf {} +; [ ! -x $(PY) ] || $(PY) -c "import leadlib.load as l; l.clear_cache()"
