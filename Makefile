PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PYTHON=/path/to/python3.11)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,browse]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/sitrep demo

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/poll.py
	$(BIN)/python bench/serve.py
	$(BIN)/python bench/alerts.py
	$(BIN)/python bench/latest.py
	$(BIN)/python bench/extract_workers.py

clean:
	rm -rf $(VENV) .pytest_cache

.PHONY: pictures

pictures: $(STAMP)
	$(BIN)/python -m tests.support.pictures --out docs/pictures
