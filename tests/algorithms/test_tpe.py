"""TPE: Parzen estimator correctness, categorical handling, options, pending points, quality."""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import numpy as np
import pytest
from scipy.stats import truncnorm

import hypersweep.space as sp
from hypersweep.algorithms import make_algorithm
from hypersweep.algorithms.tpe import TPE
from hypersweep.algorithms.tpe.layout import Layout
from hypersweep.algorithms.tpe.observations import trial_loss
from hypersweep.algorithms.tpe.options import OPTIONS, good_group_size
from hypersweep.algorithms.tpe.parzen import ParzenEstimator, _logsumexp
from hypersweep.exceptions import AlgorithmError
from hypersweep.records import Direction, Report, Trial, TrialState
from hypersweep.testing.algorithm_suite import AlgorithmSuite


class TestTPEConformanceEarlyModel(AlgorithmSuite):
    """The shared suite again with the model active after two trials (the default waits ten)."""

    algorithms: ClassVar[Sequence[str] | None] = ["tpe"]
    options: ClassVar[Mapping[str, Mapping[str, Any]]] = {"tpe": {"n_startup_trials": 2}}


class TestTPEConformanceUnivariate(AlgorithmSuite):
    algorithms: ClassVar[Sequence[str] | None] = ["tpe"]
    options: ClassVar[Mapping[str, Mapping[str, Any]]] = {
        "tpe": {"n_startup_trials": 2, "multivariate": False, "constant_liar": False}
    }


def _estimator(space: sp.Space, unit_rows: list[list[float]], **options: object) -> tuple[Layout, ParzenEstimator]:
    layout = Layout(space)
    obs = layout.encode(np.array(unit_rows, dtype=float))
    return layout, ParzenEstimator(obs, layout, OPTIONS.parse(options))


# -- Parzen estimator ---------------------------------------------------------------------------
def test_continuous_density_matches_hand_computation_and_integrates_to_one() -> None:
    space = sp.Space({"x": sp.uniform(0, 1)})
    layout, est = _estimator(space, [[0.2], [0.7]], multivariate=False)
    grid = np.linspace(0, 1, 20001)[:, None]
    dens = np.exp(est.log_pdf(layout.encode(grid)))
    assert np.trapezoid(dens, grid[:, 0]) == pytest.approx(1.0, abs=1e-6)
    # by hand: weights 1, 1, prior 1; truncated normals on [0, 1]
    x = 0.4
    expected = 0.0
    for mu, sigma in zip(est.mu[:, 0], est.sigma[:, 0]):
        a, b = (0 - mu) / sigma, (1 - mu) / sigma
        expected += truncnorm.pdf(x, a, b, loc=mu, scale=sigma) / 3
    got = math.exp(est.log_pdf(layout.encode(np.array([[x]])))[0])
    assert got == pytest.approx(expected, rel=1e-9)
    # univariate gap bandwidths: 0.2 -> max(0.2, 0.5) but endpoints ignored -> 0.5; prior sigma 1
    assert est.sigma[:, 0].tolist() == pytest.approx([0.5, 0.5, 1.0])


def test_joint_density_integrates_to_one_in_two_dimensions() -> None:
    space = sp.Space({"x": sp.uniform(0, 1), "y": sp.uniform(0, 1)})
    layout, est = _estimator(space, [[0.1, 0.9], [0.5, 0.5], [0.8, 0.3]])
    g = np.linspace(0, 1, 401)
    xx, yy = np.meshgrid(g, g, indexing="ij")
    dens = np.exp(est.log_pdf(layout.encode(np.stack([xx.ravel(), yy.ravel()], axis=1)))).reshape(xx.shape)
    assert np.trapezoid(np.trapezoid(dens, g, axis=1), g) == pytest.approx(1.0, abs=1e-4)


def test_fast_joint_path_matches_kernel_by_kernel_computation() -> None:
    space = sp.Space({
        "o": sp.values([1, 2, 4, 8, 16]), "c": sp.values(["a", "b", "c"]), "q": sp.quniform(0, 10, 0.5),
        "x": sp.loguniform(1e-4, 1), "big": sp.quniform(0, 10_000, 1),
    })
    layout = Layout(space)
    obs = layout.encode(space.to_unit_many(space.sample_many(1, 40)))
    for options in ({}, {"bandwidth": "fixed"}):
        est = ParzenEstimator(obs, layout, OPTIONS.parse(options))
        cand = est.sample(np.random.default_rng(0), 50)
        slow = _logsumexp(est.log_w[:, None] + est.log_kernels(cand).sum(axis=2), axis=0)
        np.testing.assert_allclose(est.log_pdf(cand), slow, rtol=1e-10, atol=1e-10)


def test_discrete_masses_sum_to_one() -> None:
    space = sp.Space({"o": sp.values([1, 2, 4, 8]), "c": sp.values(["a", "b", "c"])})
    layout, est = _estimator(space, [space.to_unit({"o": 2, "c": "b"}).tolist()])
    every = layout.encode(space.to_unit_many(space.grid()))
    assert np.exp(est.log_pdf(every)).sum() == pytest.approx(1.0, abs=1e-12)


def test_categorical_kernel_follows_optuna_weights() -> None:
    space = sp.Space({"c": sp.values(["a", "b", "c"])})
    layout, est = _estimator(space, [space.to_unit({"c": "b"}).tolist()])
    probs = np.exp(est.log_pdf(layout.encode(space.to_unit_many([{"c": v} for v in "abc"]))))
    # observation kernel: (1/2 for each level + 1 for "b") / 2.5; prior: uniform; weights 1/2 each
    kernel = np.array([0.5, 1.5, 0.5]) / 2.5
    np.testing.assert_allclose(probs, 0.5 * kernel + 0.5 / 3)


def test_pvalues_prior_never_proposes_zero_probability_levels() -> None:
    space = sp.Space({"p": sp.pvalues([["a", 0.5], ["b", 0.5], ["never", 0.0]]), "x": sp.uniform(0, 1)})
    algo = TPE(space, seed=0, n_startup_trials=3)
    _run(algo, lambda p: p["x"] + (p["p"] == "b"), 25)
    assert all(t.params["p"] != "never" for t in algo.finished)


def test_ordinal_levels_are_bins_of_their_positions() -> None:
    space = sp.Space({"r": sp.logspace(0, 3, 4)})
    layout = Layout(space)
    np.testing.assert_allclose(layout.positions[0], [0.125, 0.375, 0.625, 0.875])
    np.testing.assert_allclose(layout.edges[0], [0, 0.25, 0.5, 0.75, 1])


# -- options -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"n_startup_trials": -1}, "tpe.n_startup_trials"),
        ({"n_ei_candidates": 0}, "tpe.n_ei_candidates"),
        ({"gamma": 0.0}, "tpe.gamma"),
        ({"gamma": "log"}, "tpe.gamma"),
        ({"prior_weight": -1.0}, "tpe.prior_weight"),
        ({"multivariate": "yes"}, "tpe.multivariate"),
        ({"constant_liar": 1}, "tpe.constant_liar"),
        ({"bandwidth": "wide"}, "tpe.bandwidth"),
        ({"max_good": 2.5}, "tpe.max_good"),
        ({"gamma": "SQRT"}, "tpe.gamma"),
    ],
)
def test_bad_options_name_the_field(options: dict, field: str) -> None:
    space = sp.Space({"x": sp.uniform(0, 1)})
    with pytest.raises(AlgorithmError, match=field.replace(".", r"\.")):
        make_algorithm("tpe", space, options=options)


def test_unknown_option_is_an_algorithm_error() -> None:
    with pytest.raises(AlgorithmError, match=r"^tpe: unknown option 'n_startup' \(did you mean 'n_startup_trials'\?\)"):
        make_algorithm("tpe", sp.Space({"x": sp.uniform(0, 1)}), options={"n_startup": 3})


def test_settings_round_trip() -> None:
    space = sp.Space({"x": sp.uniform(0, 1)})
    algo = make_algorithm("tpe", space, options={"gamma": "sqrt", "n_ei_candidates": 48})
    assert algo.settings() == {"gamma": "sqrt", "n_ei_candidates": 48}
    assert make_algorithm("tpe", space, options=algo.settings()).settings() == algo.settings()


def test_gamma_sizes() -> None:
    assert [good_group_size(n, 0.1, 25) for n in (0, 1, 10, 11, 100, 1000)] == [0, 1, 1, 2, 10, 25]
    assert good_group_size(100, "sqrt", 25) == 3


# -- history handling ------------------------------------------------------------------------------
def test_losses_of_failed_and_pruned_trials() -> None:
    p = {"x": 0.5}
    done = Trial(id=0, params=p, state=TrialState.COMPLETED, value=2.0)
    pruned = Trial(id=1, params=p, state=TrialState.PRUNED, reports=(Report(1, 5.0), Report(2, 3.0)))
    failed = Trial(id=2, params=p, state=TrialState.FAILED, error="boom")
    assert trial_loss(done, Direction.MAXIMIZE) == -2.0
    assert trial_loss(pruned, Direction.MINIMIZE) == 3.0
    assert math.isnan(trial_loss(failed, Direction.MINIMIZE))


def test_failed_region_is_avoided() -> None:
    space = sp.Space({"x": sp.uniform(0, 1)})
    algo = TPE(space, seed=0, n_startup_trials=5)
    trials = []
    for i in range(40):
        params = algo.ask(1)[0]
        if params["x"] > 0.5:
            trial = Trial(id=i, params=params, state=TrialState.FAILED, error="crash")
        else:
            trial = Trial(id=i, params=params, state=TrialState.COMPLETED, value=abs(params["x"] - 0.2))
        trials.append(trial)
        algo.tell([trial])
    late = [t.params["x"] for t in trials[20:]]
    assert sum(x > 0.5 for x in late) <= 3


def test_pending_points_give_distinct_spread_batches() -> None:
    space = sp.Space({"x": sp.uniform(-5, 5), "y": sp.uniform(-5, 5)})
    algo = TPE(space, seed=3)
    _run(algo, lambda p: p["x"] ** 2 + p["y"] ** 2, 20)
    batch = algo.ask(4)
    assert len({(p["x"], p["y"]) for p in batch}) == 4
    pending = [Trial(id=100 + i, params=p, state=TrialState.RUNNING) for i, p in enumerate(batch)]
    more = algo.ask(4, pending=pending)
    assert not {(p["x"], p["y"]) for p in more} & {(p["x"], p["y"]) for p in batch}
    # the constant liar spreads the batch: points are not all on top of each other
    pts = np.array([[p["x"], p["y"]] for p in batch + more])
    dists = np.linalg.norm(pts[:, None] - pts[None], axis=2)[np.triu_indices(8, 1)]
    assert dists.min() > 1e-3


@pytest.mark.parametrize("seed", range(5))
def test_batch_of_four_is_spread_out(seed: int) -> None:
    space = sp.Space({"x": sp.uniform(-5, 5), "y": sp.uniform(-5, 5)})
    algo = TPE(space, seed=seed)
    _run(algo, lambda p: p["x"] ** 2 + p["y"] ** 2, 15)
    points = space.to_unit_many(algo.ask(4))
    gaps = [np.linalg.norm(points[i] - points[j]) for i in range(4) for j in range(i)]
    assert min(gaps) > 0.05


def test_running_startup_trials_count_towards_the_startup() -> None:
    # 7 finished + 3 running startup trials: the 11th trial comes from the model, as it
    # would sequentially; with fewer than half the startup finished it stays random
    space = sp.Space({"x": sp.uniform(0, 1)})
    algo = TPE(space, seed=0)
    first = algo.ask(10)
    algo.tell([Trial(id=i, params=p, state=TrialState.COMPLETED, value=p["x"]) for i, p in enumerate(first[:7])])
    running = [Trial(id=7 + i, params=p, state=TrialState.RUNNING) for i, p in enumerate(first[7:])]
    assert not algo._in_startup(len(running))
    assert algo._in_startup(0)
    fresh = TPE(space, seed=0)
    fresh.tell([Trial(id=i, params=p, state=TrialState.COMPLETED, value=p["x"]) for i, p in enumerate(first[:4])])
    assert fresh._in_startup(6)
    assert len(algo.ask(1, pending=running)) == 1


def test_no_startup_trials_uses_the_prior_at_once() -> None:
    space = sp.Space({"x": sp.uniform(0, 1), "c": sp.values(["a", "b"])})
    algo = TPE(space, seed=0, n_startup_trials=0)
    batch = algo.ask(3)
    assert len(batch) == 3 and all(space.contains(p) for p in batch)


def test_rebuilt_instance_continues_identically_in_the_model_phase() -> None:
    space = sp.Space({"x": sp.uniform(-5, 5), "o": sp.values([1, 2, 4, 8]), "c": sp.values(["a", "b", "c"])})
    live = TPE(space, seed=11)
    trials = []
    for i in range(30):
        params = live.ask(1)[0]
        trials.append(Trial(id=i, params=params, state=TrialState.COMPLETED, value=params["x"] ** 2 + params["o"]))
        live.tell([trials[-1]])
    fresh = TPE(space, seed=11)
    fresh.tell(list(reversed(trials)))
    assert fresh.ask(3) == live.ask(3)


def test_discrete_space_is_exhausted_without_repeats() -> None:
    space = sp.Space({"a": sp.values([1, 2, 3]), "b": sp.values(["x", "y"])})
    algo = TPE(space, seed=0, n_startup_trials=2)
    seen = _run(algo, lambda p: p["a"], 10)
    assert len(seen) == 6 and len({(p["a"], p["b"]) for p in seen}) == 6
    assert algo.ask(1) == [] and algo.budget == 6


# -- quality smoke tests ------------------------------------------------------------------------------
def _run(algo, f, n: int) -> list[dict]:
    seen = []
    for i in range(n):
        batch = algo.ask(1)
        if not batch:
            break
        params = batch[0]
        seen.append(params)
        algo.tell([Trial(id=i, params=params, state=TrialState.COMPLETED, value=float(f(params)))])
    return seen


def _branin(p: dict) -> float:
    x, y = p["x0"], p["x1"]
    b, c, t = 5.1 / (4 * math.pi**2), 5 / math.pi, 1 / (8 * math.pi)
    return (y - b * x**2 + c * x - 6) ** 2 + 10 * (1 - t) * math.cos(x) + 10


def test_quadratic_2d_gets_close() -> None:
    space = sp.Space({"x": sp.uniform(-5, 5), "y": sp.uniform(-5, 5)})
    best = []
    for seed in range(3):
        seen = _run(TPE(space, seed=seed), lambda p: (p["x"] - 1) ** 2 + (p["y"] + 2) ** 2, 60)
        best.append(min((p["x"] - 1) ** 2 + (p["y"] + 2) ** 2 for p in seen))
    assert max(best) < 0.5


def test_branin_beats_random_search() -> None:
    space = sp.Space({"x0": sp.uniform(-5, 10), "x1": sp.uniform(0, 15)})
    optimum = 0.397887
    tpe_regret, random_regret = [], []
    for seed in range(5):
        tpe_regret.append(min(_branin(p) for p in _run(TPE(space, seed=seed), _branin, 60)) - optimum)
        rand = make_algorithm("random", space, seed=seed)
        random_regret.append(min(_branin(p) for p in _run(rand, _branin, 60)) - optimum)
    assert np.median(tpe_regret) < 0.5 * np.median(random_regret)
