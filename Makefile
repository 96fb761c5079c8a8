PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export PREFECT_HOME := $(CURDIR)/data/prefect

.PHONY: install install-test system-deps run test bench bench-quick clean corpus-pdf

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"

run: install
	$(BIN)/kst ingest corpus --db data/kamerstukken.duckdb
	$(BIN)/kst stats --db data/kamerstukken.duckdb

# Debian's poppler-utils (pdftotext) for the converter matrix and chromium for the browser tests; installed
# when root, else those tests skip.
DEBIAN_PACKAGES := poppler-utils chromium fonts-dejavu-core
system-deps:
	@{ command -v pdftotext && command -v chromium; } >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq \
		&& DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBIAN_PACKAGES) >/dev/null; } \
		|| echo "pdftotext or chromium missing and not root: the converter-matrix rows and browser tests that need them will skip"

# Files are spread over two workers (a file's module fixtures are built once); pass PYTEST_ARGS= to run serially.
PYTEST_ARGS ?= -n 2 --dist loadfile
test: install-test system-deps
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

bench: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[bench]"
	$(BIN)/python -m benchmarks.run --out BENCHMARKS.md

bench-quick: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[bench]"
	$(BIN)/python -m benchmarks.run --quick --out BENCHMARKS-quick.md

clean:
	rm -rf data build *.egg-info

corpus-pdf: install-test
	$(BIN)/python -m tools.letters
