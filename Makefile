# The exact commands people and CI run. Each target creates .venv on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test test-random lint bench bench-report serve clean install docs data

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[all,dev]'
	# Byte-compile the sources now: where PYTHONDONTWRITEBYTECODE is set, every command would compile them again.
	$(BIN)/python -m compileall -q src
	touch $(STAMP)

install: $(STAMP)

# The main job on the embedded default (./saylau.sqlite): the 2021 seats explained, the election
# stored, its regional results, and the published report.
demo: $(STAMP)
	$(BIN)/saylau allocate ../shared/spec/data/kz-2021-mazhilis-national.csv --rules kz-mazhilis-2021 --explain
	$(BIN)/saylau load kz-2021
	$(BIN)/saylau results --election kz-2021 --level region
	$(BIN)/saylau audit-table ../shared/spec/data/kz-2021-mazhilis-regions.csv \
		../shared/spec/data/kz-2021-mazhilis-regions-published-percent.csv || true
	mkdir -p out
	$(BIN)/saylau report --election kz-2021 --format html -o out/kz-2021-report.html
	@echo "report: out/kz-2021-report.html"

# Property tests run derandomised (the same examples every run) when CI=true, randomised here.
test: $(STAMP)
	$(BIN)/pytest -n auto -q

# Property tests with fresh random examples on every run, wherever it runs (a failure prints its seed).
test-random: $(STAMP)
	HYPOTHESIS_PROFILE=random $(BIN)/pytest -n auto -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src/saylau/core src/saylau/rules src/saylau/errors.py src/saylau/datafiles.py

# Every figure beside its anchor; also bench/results.json. Fails (exit 1) when a target is missed.
bench: $(STAMP)
	$(BIN)/python -m bench

# The same figures, printed and written, without failing on a missed target.
bench-report: $(STAMP)
	$(BIN)/python -m bench --no-fail

# Election night on the embedded database: kz-2021 with its 10,060 synthetic stations expected and 7,000
# reported (set up once in .saylau/serve.sqlite), served live at the printed URL until Ctrl-C.
SERVE_DB ?= .saylau/serve.sqlite
PORT ?= 8000
serve: $(STAMP)
	mkdir -p $(dir $(SERVE_DB))
	$(BIN)/saylau serve --db $(SERVE_DB) --prepare kz-2021 --reported 7000 --port $(PORT)

docs: $(STAMP)
	COLUMNS=100 $(BIN)/python -c 'from saylau.cli import reference_markdown; print(reference_markdown(), end="")' > docs/cli.md

# Package data built from dependencies' data: the confusable prototypes unit ids are told apart by.
data: $(STAMP)
	$(BIN)/python -c 'from saylau.ids import write_prototypes; print(write_prototypes())'

clean:
	rm -rf $(VENV) build dist *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
