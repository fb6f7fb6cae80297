"""The ``smac`` random-forest algorithm: options, forest, EI, search, and quality smoke tests."""
from __future__ import annotations

import math
from typing import ClassVar

import numpy as np
import pytest
from scipy import integrate, stats

import hypersweep.space as sp
from hypersweep.algorithms import make_algorithm
from hypersweep.algorithms.forest.acquisition import (
    expected_improvement,
    log_expected_improvement,
)
from hypersweep.algorithms.forest.encoding import UnitEncoding
from hypersweep.algorithms.forest.model import (
    ForestModel,
    ForestSettings,
    bootstrap_weights,
)
from hypersweep.exceptions import AlgorithmError
from hypersweep.records import Trial, TrialState
from hypersweep.testing.algorithm_suite import (
    AlgorithmSuite,
    assert_same_batches,
    drive,
)

pytest.importorskip("sklearn")


class TestSmacModelPhase(AlgorithmSuite):
    """The conformance suite again, with the forest in charge from the third trial."""

    algorithms: ClassVar[list[str]] = ["smac"]
    options: ClassVar[dict] = {"smac": {"n_initial_trials": 2, "random_fraction": 0.0, "n_random_candidates": 200}}


# -- options ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"n_trees": 0}, "smac.n_trees: must be an integer >= 1; got 0"),
        ({"n_trees": 2.5}, "smac.n_trees"),
        ({"max_features": 0.0}, "smac.max_features: must be a finite number > 0 and <= 1; got 0.0"),
        ({"min_samples_split": 1}, "smac.min_samples_split"),
        ({"bootstrap": "yes"}, "smac.bootstrap: must be true or false"),
        ({"initial_design": "lhs"}, "smac.initial_design: must be one of sobol, random"),
        ({"random_fraction": 1.0}, "smac.random_fraction"),
        ({"liar": "max"}, "smac.liar: must be one of believer, worst, mean, best"),
        ({"liar": "BEST"}, "smac.liar: must be one of believer, worst, mean, best (did you mean 'best'?); got 'BEST'"),
        ({"acquisition_function": "EI"}, "smac.acquisition_function: must be one of ei, log_ei (did you mean 'ei'?); got 'EI'"),
        ({"refit_interval": 0}, "smac.refit_interval"),
        ({"acquisition_function": "log_ei"}, "log_ei needs a log model"),
        ({"n_tres": 5}, "smac: unknown option 'n_tres' (did you mean 'n_trees'?)"),
    ],
)
def test_bad_options_raise_one_line_errors(options: dict, fragment: str) -> None:
    space = sp.Space({"x": sp.uniform(0, 1)})
    with pytest.raises(AlgorithmError) as info:
        make_algorithm("smac", space, options=options)
    assert fragment in str(info.value) and "\n" not in str(info.value)


def test_without_scikit_learn_the_error_names_the_forest_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "sklearn" else real(name, *a))
    with pytest.raises(AlgorithmError, match=r"pip install 'hypersweep\[forest\]'"):
        make_algorithm("smac", sp.Space({"x": sp.uniform(0, 1)}))


def test_settings_round_trip() -> None:
    space = sp.Space({"x": sp.uniform(0, 1)})
    algo = make_algorithm("smac", space, options={"n_trees": 5, "log_y": True, "acquisition_function": "log_ei"})
    again = make_algorithm("smac", space, options=algo.settings())
    assert again.settings() == algo.settings() and algo.settings()["n_trees"] == 5


# -- the forest -------------------------------------------------------------------------------
def test_mean_and_variance_are_across_trees() -> None:
    from sklearn.tree import DecisionTreeRegressor

    rng = np.random.default_rng(3)
    X = rng.random((12, 2))
    y = np.sin(6 * X[:, 0]) + X[:, 1]
    settings = ForestSettings(n_trees=4, max_features=0.5, min_samples_split=2, min_samples_leaf=2, bootstrap=False)
    model = ForestModel(settings)
    weights = np.ones((4, 12))
    model.grow(X, y, weights, seed=5)
    model.set_data(X, y, weights)
    query = rng.random((7, 2))
    per_tree = model.predict_trees(query)
    # without bootstrap, leaf values recomputed from the same rows equal sklearn's own predictions
    states = np.random.SeedSequence([5, 104729]).generate_state(4)
    for t in range(4):
        tree = DecisionTreeRegressor(max_features=0.5, min_samples_split=2, min_samples_leaf=2,
                                     max_depth=20, random_state=int(states[t])).fit(X, y)
        np.testing.assert_allclose(per_tree[t], tree.predict(query))
    mean, var = model.predict(query)
    np.testing.assert_allclose(mean, per_tree.mean(axis=0))
    np.testing.assert_allclose(var, np.maximum(per_tree.var(axis=0), 1e-12))
    assert np.any(var > 1e-6)  # the trees disagree somewhere


def test_leaf_values_are_weighted_means_of_new_rows() -> None:
    X = np.array([[0.1], [0.2], [0.8], [0.9]])
    y = np.array([1.0, 3.0, 20.0, 22.0])
    model = ForestModel(ForestSettings(n_trees=1, max_depth=1, min_samples_leaf=1, bootstrap=False))
    model.grow(X, y, np.ones((1, 4)), seed=0)  # one split between 0.2 and 0.8
    model.set_data(np.array([[0.1], [0.3], [0.7]]), np.array([2.0, 4.0, 7.0]), np.array([[1.0, 3.0, 1.0]]))
    mean, _ = model.predict(np.array([[0.0], [1.0]]))
    np.testing.assert_allclose(mean, [(2.0 + 3 * 4.0) / 4, 7.0])


def test_bootstrap_weights_depend_on_the_trial_id_only() -> None:
    a = bootstrap_weights(1, np.array([4, 9]), 6, True)
    b = bootstrap_weights(1, np.array([9]), 6, True)
    np.testing.assert_array_equal(a[:, 1], b[:, 0])
    assert a.shape == (6, 2) and np.all(a >= 0)
    assert np.all(bootstrap_weights(1, np.array([4]), 3, False) == 1)


# -- acquisition --------------------------------------------------------------------------------
def test_expected_improvement_matches_scipy() -> None:
    mean = np.array([0.0, 1.0, -0.5, 2.0])
    var = np.array([1.0, 0.25, 4.0, 0.0])
    best, xi = 0.5, 0.1
    sd = np.sqrt(var[:3])
    z = (best - xi - mean[:3]) / sd
    want = (best - xi - mean[:3]) * stats.norm.cdf(z) + sd * stats.norm.pdf(z)
    got = expected_improvement(mean, var, best, xi)
    np.testing.assert_allclose(got[:3], want, rtol=1e-12)
    assert got[3] == 0.0  # no variance, mean above the target


def test_log_expected_improvement_matches_quadrature() -> None:
    mean, var, best = np.array([0.3, -0.2]), np.array([0.5, 0.1]), 0.1
    got = log_expected_improvement(mean, var, best)
    for m, v, g in zip(mean, var, got):
        sd = math.sqrt(v)
        want, _ = integrate.quad(
            lambda f, m=m, sd=sd: max(math.exp(best) - math.exp(f), 0.0) * stats.norm.pdf(f, m, sd), m - 12 * sd, best
        )
        assert math.isclose(math.exp(g), want, rel_tol=1e-6)


# -- encoding ------------------------------------------------------------------------------------
def test_neighbours_change_one_parameter_and_stay_legal() -> None:
    space = sp.Space({"x": sp.uniform(0, 1), "n": sp.values([1, 2, 4, 8]), "c": sp.values(["a", "b", "c"]),
                      "q": sp.quniform(0, 10, 1)})
    enc = UnitEncoding(space)
    rows = enc.uniform(np.random.default_rng(0), 5)
    nb, origin = enc.neighbours(rows, np.random.default_rng(1))
    assert len(nb) == len(origin) == 5 * (2 + 2 + 2 + 2)
    for row, o in zip(nb, origin):
        space.validate(enc.decode(row))
        changed = {space.columns[i].param for i in np.flatnonzero(np.abs(row - rows[o]) > 1e-12)}
        assert len(changed) <= 1
    np.testing.assert_allclose(enc.snap(nb), nb)


# -- behaviour -----------------------------------------------------------------------------------
def _run(algorithm: str, space: sp.Space, f, n_trials: int, seed: int, options: dict | None = None) -> float:
    algo = make_algorithm(algorithm, space, seed=seed, options=options)
    best = math.inf
    for i in range(n_trials):
        (params,) = algo.ask(1)
        value = f(params)
        best = min(best, value)
        algo.tell([Trial(id=i, params=params, state=TrialState.COMPLETED, value=value)])
    return best


def _branin(p: dict) -> float:
    x, y = p["x"], p["y"]
    b, c, t = 5.1 / (4 * math.pi**2), 5 / math.pi, 1 / (8 * math.pi)
    return (y - b * x * x + c * x - 6) ** 2 + 10 * (1 - t) * math.cos(x) + 10


_LEVEL_COST = {"a": 0.0, "b": 1.0, "c": 2.0, "d": 3.0, "e": 1.5}


def _categorical(p: dict) -> float:
    total = sum(_LEVEL_COST[p[f"c{i}"]] * (i + 1) for i in range(6))
    return total + (0.0 if p["flag"] else 2.0) + 4 * (p["lr"] - 0.3) ** 2


def test_pending_points_spread_out() -> None:
    space = sp.Space({"x": sp.uniform(-5, 10), "y": sp.uniform(0, 15)})
    algo = make_algorithm("smac", space, seed=0, options={"n_initial_trials": 5})
    trials = [Trial(id=i, params=p, state=TrialState.COMPLETED, value=_branin(p)) for i, p in enumerate(algo.ask(8))]
    algo.tell(trials)
    batch = algo.ask(4)
    xs = np.array([[p["x"], p["y"]] for p in batch])
    gaps = [np.linalg.norm(xs[i] - xs[j]) for i in range(4) for j in range(i)]
    assert min(gaps) > 1e-3


@pytest.mark.parametrize("seed", range(5))
def test_batch_of_four_is_distinct_and_not_stacked(seed: int) -> None:
    # the default liar ("best") keeps a batch near the good region on purpose (spreading it
    # out measured worse with 4 workers), but never on top of each other
    space = sp.Space({"x": sp.uniform(-5, 10), "y": sp.uniform(0, 15)})
    algo = make_algorithm("smac", space, seed=seed)
    for i in range(15):
        p = algo.ask(1)[0]
        algo.tell([Trial(id=i, params=p, state=TrialState.COMPLETED, value=_branin(p))])
    points = space.to_unit_many(algo.ask(4))
    gaps = [np.linalg.norm(points[i] - points[j]) for i in range(4) for j in range(i)]
    assert min(gaps) > 0.005


def test_beats_random_on_branin() -> None:
    space = sp.Space({"x": sp.uniform(-5, 10), "y": sp.uniform(0, 15)})
    seeds = range(3)
    smac = np.mean([_run("smac", space, _branin, 30, s) for s in seeds])
    rand = np.mean([_run("random", space, _branin, 30, s) for s in seeds])
    assert smac < rand and smac < 0.397887 + 1.0


def test_beats_random_on_a_categorical_heavy_problem() -> None:
    levels = list(_LEVEL_COST)
    space = sp.Space({**{f"c{i}": sp.values(levels) for i in range(6)}, "flag": sp.values([True, False]),
                      "lr": sp.uniform(0, 1)})
    seeds = range(5)
    smac = np.mean([_run("smac", space, _categorical, 40, s) for s in seeds])
    rand = np.mean([_run("random", space, _categorical, 40, s) for s in seeds])
    assert smac < 0.75 * rand


def test_stale_trees_between_refits_are_rebuilt_identically():
    """With trees regrown every 4 trials and trials finishing out of order, a fresh instance
    told the history still asks exactly what the live one asks."""
    space = sp.Space({"x": sp.uniform(0, 1), "c": sp.values(["a", "b", "c"]), "n": sp.values([1, 2, 4])})
    options = {"n_initial_trials": 3, "refit_interval": 4, "random_fraction": 0.0, "n_random_candidates": 100}

    def compare(live, history, suggestions):
        fresh = make_algorithm("smac", space, seed=0, options=options)
        fresh.tell(list(reversed(history.finished)))
        assert_same_batches(fresh.ask(3, pending=list(history.pending)), suggestions, "rebuilt")

    drive(make_algorithm("smac", space, seed=0, options=options), steps=12, batch=3, on_step=compare)
