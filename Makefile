PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_STAMP := $(VENV)/.installed-demo

.PHONY: demo test venv clean bench

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# the demo needs only hypersweep and scikit-learn
$(DEMO_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e ".[demo]"
	touch $(DEMO_STAMP)

# tests and benchmarks need every optional dependency
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e ".[dev]"
	touch $(STAMP)

venv: $(STAMP)

demo: $(DEMO_STAMP)
	$(PY) examples/demo_mlp_digits.py

test: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) -m benchmarks.harness --algorithms random --peers random optuna-tpe --problems all --seeds 10 --n-trials 100 --out bench_results/latest

clean:
	rm -rf $(VENV) hypersweep.db demo_history.png
