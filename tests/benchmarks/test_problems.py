"""Synthetic problems: known optima, deterministic references, spaces."""
from __future__ import annotations

import math

import numpy as np
import pytest

from benchmarks.problems import get_problem, problem_names, resolve
from benchmarks.problems.synthetic import (
    HARTMANN6_ARGMIN,
    REFERENCE_SAMPLES,
    ackley,
    branin,
    hartmann6,
    make_branin,
    rosenbrock,
)

SYNTHETIC = ["branin", "hartmann6", "ackley5", "rosenbrock4"]


@pytest.mark.parametrize("x", [(-math.pi, 12.275), (math.pi, 2.275), (9.42478, 2.475)])
def test_branin_minima(x):
    assert branin(np.array([x]))[0] == pytest.approx(0.397887, abs=1e-5)


def test_hartmann6_minimum():
    assert hartmann6(np.array([HARTMANN6_ARGMIN]))[0] == pytest.approx(-3.32237, abs=1e-5)


def test_ackley_and_rosenbrock_minima():
    assert ackley(np.zeros((1, 5)))[0] == pytest.approx(0.0, abs=1e-12)
    assert rosenbrock(np.ones((1, 4)))[0] == 0.0
    assert ackley(np.ones((1, 5)))[0] > 1.0 and rosenbrock(np.zeros((1, 4)))[0] == 3.0


@pytest.mark.parametrize("name", SYNTHETIC)
def test_evaluate_at_argmin_gives_optimum(name):
    problem = get_problem(name)
    params = dict(zip(problem.names, problem.argmin, strict=True))
    assert problem.evaluate(params) == pytest.approx(problem.optimum, abs=1e-5)
    assert problem.regret(problem.evaluate(params)) == pytest.approx(0.0, abs=1e-5)


@pytest.mark.parametrize("name", SYNTHETIC)
def test_references_are_deterministic_and_ordered(name):
    problem = get_problem(name)
    fresh = type(problem)(problem.name, problem.function, problem.bounds, problem.optimum, problem.argmin)
    assert fresh.reference_values().shape == (REFERENCE_SAMPLES,)
    assert fresh.reference_worst == problem.reference_worst
    assert fresh.reference_median == problem.reference_median
    assert problem.optimum <= problem.reference_values().min() < problem.reference_median < problem.reference_worst


@pytest.mark.parametrize("name", SYNTHETIC)
def test_space_matches_bounds_and_samples_evaluate(name):
    problem = get_problem(name)
    assert list(problem.space.names) == problem.names
    rng = np.random.default_rng(0)
    for _ in range(20):
        params = problem.space.sample(rng)
        x = problem.to_array(params)
        assert np.all(x >= problem.bounds[:, 0]) and np.all(x <= problem.bounds[:, 1])
        assert problem.evaluate(params) == pytest.approx(float(problem.function(x[None])[0]))


def test_registry_groups():
    assert problem_names("synthetic") == SYNTHETIC
    assert len(problem_names("hpobench")) == 8 and len(problem_names("hpolib")) == 4
    assert resolve(["all"]) == (
        SYNTHETIC + problem_names("hpobench") + problem_names("hpolib") + problem_names("lcbench")
        + ["contamination", "pest_control", "ackley_cat", "sklearn/digits", "sklearn/breast_cancer"]
    )
    assert resolve(["catdev"]) == [
        *problem_names("hpolib"), "contamination", "pest_control", "ackley_cat", "sklearn/digits", "sklearn/breast_cancer"
    ]
    assert resolve(["branin,hpolib", "branin"]) == ["branin", *problem_names("hpolib")]
    with pytest.raises(ValueError, match="unknown problem 'nope'"):
        resolve(["nope"])


def test_info_is_json_ready():
    info = make_branin().info()
    assert info["problem"] == "branin" and info["family"] == "synthetic" and info["direction"] == "minimize"
    assert all(isinstance(info[k], float) for k in ("optimum", "reference_worst", "reference_median"))
