PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_STAMP := $(VENV)/.installed-demo

.PHONY: demo test venv clean bench docs

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# the demo needs only hypersweep and scikit-learn
$(DEMO_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e ".[demo]"
	touch $(DEMO_STAMP)

PEER_FILES := benchmarks/requirements-peers.txt benchmarks/requirements-dehb.txt benchmarks/requirements-hebo.txt

# tests and benchmarks need every optional dependency and every peer of the benchmark harness: the
# extras and the peers in one resolver run, then DEHB and HEBO without the old numpy they declare
$(STAMP): pyproject.toml $(PEER_FILES) | $(PY)
	$(PY) -m pip install -q -e ".[dev]" -r benchmarks/requirements-peers.txt
	$(PY) -m pip install -q --no-deps -r benchmarks/requirements-dehb.txt -r benchmarks/requirements-hebo.txt
	touch $(STAMP)

venv: $(STAMP)

demo: $(DEMO_STAMP)
	$(PY) examples/demo_mlp_digits.py

test: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) -m benchmarks.harness --algorithms random --peers random optuna-tpe --problems all --seeds 10 --n-trials 100 --out bench_results/latest

# the user guide as a static site in site/ (tests/test_docs.py builds it too)
docs: $(STAMP)
	$(PY) -m mkdocs build --strict

clean:
	rm -rf $(VENV) hypersweep.db demo_history.png site
