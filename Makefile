# The README's two commands. Each creates/updates .venv by itself on a fresh machine.
#   make demo   - compress the shipped sample requests and print per-image decisions and savings
#   make test   - ruff, mypy and the full pytest suite (what CI runs)
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test lint typecheck pytest fuzz bench bench-busy train clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/headroom-middleware demo

lint: $(STAMP)
	$(VENV)/bin/ruff check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy headroom_middleware adapters

pytest: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider

test: lint typecheck pytest

# The hostile-input suite with many more generated requests (minutes; not in CI).
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest -q -p no:cacheprovider tests/test_hostile_properties.py tests/test_hostile.py

bench: $(STAMP)
	$(PY) benchmarks/run.py

# The same with two CPU-bound processes beside it: what a user on a busy machine sees.
bench-busy: $(STAMP)
	$(PY) benchmarks/run.py --busy 2

train: $(STAMP)
	# OCR of the training images (cached under .cache/, ~20 min of CPU the first time), then training
	nice -n 10 $(PY) -m models.evidence --ocr
	$(PY) -m models.train

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
