# One entry point per job; the README's two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup system-deps demo analyze dashboard test test-fast lint fuzz bench eval train

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch is pinned (==2.13.0) in pyproject.toml so pip takes the CPU build, never the CUDA one.
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

# OCR for scanned PDFs and Chromium for the browser test (Debian packages; needs root or sudo).
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v ocrmypdf >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
	    chromium ocrmypdf tesseract-ocr tesseract-ocr-eng >/dev/null; \
	fi

# Analyse the bundled example DPAs, then open the dashboard on localhost.
demo: setup
	$(BIN)/dpa analyze vendors/examples --progress
	$(BIN)/dpa dashboard

analyze: setup
	$(BIN)/dpa analyze vendors/examples

dashboard: setup
	$(BIN)/dpa dashboard

test: setup system-deps
	$(BIN)/ruff check pipeline tests scripts dashboard.py
	# Two workers, a test module each at a time (module fixtures such as the silver corpus run once): on 2 cores
	# the fresh-clone CI ran 307 s of tests instead of 591 s, since half of it is single-threaded parsing and rules.
	$(BIN)/pytest -q -n 2 --dist loadscope

test-fast: setup
	$(BIN)/pytest -q -m "not model and not browser and not slow"

lint: setup
	$(BIN)/ruff check pipeline tests scripts dashboard.py

fuzz: setup
	# --timeout=0: thousands of cases outlast the suite-wide pytest-timeout (it fired at 900 s, mid-run).
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-5000} $(BIN)/pytest -q -p no:cacheprovider --timeout=0 tests/test_fuzz.py

eval: setup
	$(BIN)/dpa eval ../shared/eval/vendors-dev
	$(BIN)/dpa eval ../shared/eval/snt-train

train: setup
	$(BIN)/python scripts/train_matcher.py

bench: setup
	$(BIN)/python benchmarks/bench.py --big 100 --big-workers 1,2,core1
