"""LCBench at epoch 52 through the YAHPO surrogate (skipped, saying why, without data or onnxruntime)."""
from __future__ import annotations

import numpy as np
import pytest

from benchmarks.data import DATA_ENV, DEFAULT_DATA_DIR, REPOSITORY, data_dir
from benchmarks.problems import get_problem, lcbench, problem_names, resolve

REASON = lcbench.unavailable_reason()
needs_data = pytest.mark.skipif(REASON is not None, reason=f"LCBench unavailable: {REASON}")


def test_missing_data_is_explained(tmp_path, monkeypatch):
    monkeypatch.setenv(DATA_ENV, str(tmp_path))
    reason = lcbench.unavailable_reason()
    assert reason is not None and str(tmp_path) in reason and DATA_ENV in reason
    assert lcbench.lcbench_factories() == {}


def test_default_data_root_is_next_to_the_repository_wherever_it_runs(monkeypatch, tmp_path):
    monkeypatch.delenv(DATA_ENV, raising=False)
    monkeypatch.chdir(tmp_path)  # not relative to the working directory
    assert data_dir() == DEFAULT_DATA_DIR == (REPOSITORY.parent / "shared" / "benchmarks").resolve()
    assert (REPOSITORY / "benchmarks" / "data.py").is_file()


@needs_data
def test_one_problem_per_task_and_subsets_resolve():
    names = problem_names("lcbench")
    assert len(names) == 34 and "lcbench/3945" in names
    assert resolve(["lcbench:3945", "lcbench/7593"]) == ["lcbench/3945", "lcbench/7593"]
    assert get_problem("lcbench:3945") is get_problem("lcbench/3945")


@needs_data
def test_space_follows_config_space_json():
    space = get_problem("lcbench/3945").space
    kinds = {name: next(iter(spec)) for name, spec in space.to_matrix().items()}
    assert kinds == {
        "batch_size": "qloguniform", "learning_rate": "loguniform", "momentum": "uniform",
        "weight_decay": "uniform", "num_layers": "quniform", "max_units": "qloguniform", "max_dropout": "uniform",
    }
    params = space.sample(0)
    assert isinstance(params["batch_size"], int) and isinstance(params["num_layers"], int)


@needs_data
def test_objective_matches_the_documented_sanity_check():
    problem = get_problem("lcbench/3945")
    rng = np.random.default_rng(1)
    values = np.array([problem.evaluate(problem.space.sample(rng)) for _ in range(300)])
    # README: mean val_accuracy of random configurations is about 88 at epoch 52
    assert 8.0 < values.mean() < 16.0
    assert problem.optimum <= values.min() + 1.0 and problem.reference_worst >= values.max() - 1e-6
    info = problem.info()
    assert info["family"] == "lcbench" and info["optimum"] < info["reference_median"] < info["reference_worst"]


@needs_data
def test_references_are_deterministic():
    a = lcbench._reference_values("7593")
    lcbench._reference_values.cache_clear()
    lcbench._reference_sample.cache_clear()
    b = lcbench._reference_values("7593")
    assert a.shape == (lcbench.REFERENCE_SAMPLES,) and np.array_equal(a, b)
