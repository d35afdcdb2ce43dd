# The exact commands people and CI run. Each target creates .venv on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test lint bench serve clean install

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[all,dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/saylau allocate ../shared/spec/data/kz-2021-mazhilis-national.csv --rules kz-mazhilis-2021 --explain

test: $(STAMP)
	$(BIN)/pytest -n auto -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src/saylau/core src/saylau/rules src/saylau/errors.py

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build dist *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
