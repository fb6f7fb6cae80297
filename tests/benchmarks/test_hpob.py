"""The HPO-B adapter: observe_and_suggest on the unit hypercube for any algorithm."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from hypersweep.algorithms.base import Algorithm
from hypersweep.hpob import HPOBMethod, unit_space
from hypersweep.exceptions import AlgorithmError, ParamsError, SpecError
from hypersweep.records import Direction, Params, Trial


def toy(X: np.ndarray) -> np.ndarray:
    """A smooth response to maximize, shape (n, 1)."""
    return -np.sum((X - 0.3) ** 2, axis=1, keepdims=True)


def initial(d: int = 3, n: int = 5, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    X = np.random.default_rng(seed).random((n, d))
    return X, toy(X)


def continuous_run(method: HPOBMethod, steps: int = 8, d: int = 3) -> np.ndarray:
    X, y = initial(d)
    for _ in range(steps):
        x = method.observe_and_suggest(X, y)
        X, y = np.vstack([X, x]), np.vstack([y, toy(x)])
    return X


def discrete_run(method: HPOBMethod, steps: int = 8, d: int = 3) -> list[int]:
    """HPO-B's discrete protocol: pick among pending candidates, which then leave the pool."""
    rng = np.random.default_rng(1)
    pool = rng.random((40, d))
    y_pool = toy(pool)
    observed = list(range(5))
    picks = []
    for _ in range(steps):
        pending = [i for i in range(len(pool)) if i not in observed]
        idx = method.observe_and_suggest(pool[observed], y_pool[observed], pool[pending])
        picks.append(pending[idx])
        observed.append(pending[idx])
    return picks


def test_unit_space_names_and_bounds() -> None:
    space = unit_space(3)
    assert space.names == ["x0", "x1", "x2"]
    for params in space.sample_many(0, 20):
        assert all(0.0 <= params[name] <= 1.0 for name in space.names)
    with pytest.raises(ParamsError):
        unit_space(0)


def test_continuous_suggestion_shape_and_range() -> None:
    X, y = initial(4)
    x = HPOBMethod("random", seed=0).observe_and_suggest(X, y)
    assert isinstance(x, np.ndarray)
    assert x.shape == (1, 4) and x.dtype == float
    assert np.all((0.0 <= x) & (x <= 1.0))


def test_discrete_returns_a_plain_int_index_in_range() -> None:
    X, y = initial(3)
    X_pen = np.random.default_rng(7).random((25, 3))
    idx = HPOBMethod("random", seed=0).observe_and_suggest(X, y, X_pen)
    assert type(idx) is int
    assert 0 <= idx < 25


def test_discrete_run_picks_fresh_candidates() -> None:
    picks = discrete_run(HPOBMethod("random", seed=0), steps=20)
    assert len(set(picks)) == 20


def test_observed_rows_among_the_candidates_are_skipped() -> None:
    X, y = initial(2, n=6)
    fresh = np.array([[0.5, 0.5]])
    X_pen = np.vstack([X, fresh])  # every candidate but the last was observed already
    for seed in range(5):
        assert HPOBMethod("random", seed=seed).observe_and_suggest(X, y, X_pen) == len(X)
    # when every candidate was observed, one of them is still returned
    assert 0 <= HPOBMethod("random", seed=0).observe_and_suggest(X, y, X) < len(X)


def test_same_seed_same_run_other_seed_other_run() -> None:
    a = continuous_run(HPOBMethod("random", seed=4))
    b = continuous_run(HPOBMethod("random", seed=4))
    c = continuous_run(HPOBMethod("random", seed=5))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert discrete_run(HPOBMethod("random", seed=4)) == discrete_run(HPOBMethod("random", seed=4))
    assert discrete_run(HPOBMethod("random", seed=4), 12) != discrete_run(HPOBMethod("random", seed=5), 12)


def test_a_reused_method_matches_a_fresh_one_each_step() -> None:
    method = HPOBMethod("random", seed=2)
    X, y = initial(3)
    for _ in range(6):
        x = method.observe_and_suggest(X, y)
        np.testing.assert_array_equal(x, HPOBMethod("random", seed=2).observe_and_suggest(X, y))
        X, y = np.vstack([X, x]), np.vstack([y, toy(x)])
    # an unrelated history (a new task) starts over rather than mixing in the old one
    X2, y2 = initial(3, seed=9)
    np.testing.assert_array_equal(
        method.observe_and_suggest(X2, y2), HPOBMethod("random", seed=2).observe_and_suggest(X2, y2)
    )
    X5, y5 = initial(5, seed=9)  # and so does a new dimension
    assert method.observe_and_suggest(X5, y5).shape == (1, 5)


def test_empty_observations_on_the_first_call() -> None:
    x = HPOBMethod("random", seed=0).observe_and_suggest(np.empty((0, 3)), np.empty((0, 1)))
    assert x.shape == (1, 3)
    X_pen = np.random.default_rng(0).random((10, 3))
    idx = HPOBMethod("random", seed=0).observe_and_suggest([], [], X_pen)
    assert 0 <= idx < 10
    with pytest.raises(ParamsError, match="X_obs"):
        HPOBMethod("random").observe_and_suggest([], [])


def test_flat_y_and_lists_are_accepted() -> None:
    X, y = initial(2)
    x = HPOBMethod("random").observe_and_suggest(X.tolist(), y.ravel().tolist())
    assert x.shape == (1, 2)


def test_non_finite_responses_are_failed_trials() -> None:
    X, y = initial(2)
    y[1, 0] = np.nan
    y[2, 0] = -np.inf
    assert HPOBMethod("random").observe_and_suggest(X, y).shape == (1, 2)


@pytest.mark.parametrize(
    ("X", "y", "X_pen", "match"),
    [
        (np.zeros(3), np.zeros((3, 1)), None, "X_obs"),
        (np.zeros((3, 2)), np.zeros((4, 1)), None, "y_obs"),
        (np.zeros((3, 2)), np.zeros((3, 1)), np.zeros((4, 3)), "X_pen"),
        (np.zeros((3, 2)), np.zeros((3, 1)), np.zeros((0, 2)), "X_pen"),
        (np.full((3, 2), np.nan), np.zeros((3, 1)), None, "X_obs"),
    ],
)
def test_bad_inputs_name_the_argument(X: Any, y: Any, X_pen: Any, match: str) -> None:
    with pytest.raises(ParamsError, match=match):
        HPOBMethod("random").observe_and_suggest(X, y, X_pen)


def test_grid_is_refused_with_a_clear_error() -> None:
    X, y = initial(2)
    with pytest.raises(SpecError, match="random"):
        HPOBMethod("grid").observe_and_suggest(X, y)


def test_unknown_algorithm_and_bad_options() -> None:
    X, y = initial(2)
    with pytest.raises(AlgorithmError, match="unknown"):
        HPOBMethod("nope").observe_and_suggest(X, y)
    with pytest.raises(AlgorithmError, match="options"):
        HPOBMethod("random", seed=0, bogus=1).observe_and_suggest(X, y)
    with pytest.raises(AlgorithmError):
        HPOBMethod(42)  # type: ignore[arg-type]


def test_options_reach_the_algorithm() -> None:
    X, y = initial(2, n=3)
    method = HPOBMethod("random", seed=0, n_experiments=4)
    method.observe_and_suggest(X, y)  # 3 seen, one more allowed
    X4 = np.vstack([X, [[0.1, 0.1]]])
    with pytest.raises(AlgorithmError, match="nothing left"):
        method.observe_and_suggest(X4, toy(X4))


class Fixed(Algorithm):
    """A test algorithm: always suggests the same point and records what it was told."""

    name = "fixed-for-test"

    def __init__(self, space: Any, *, direction: Any = "minimize", seed: int = 0, point: float = 0.5) -> None:
        super().__init__(space, direction=direction, seed=seed)
        self.point = point

    def ask(self, n: int = 1, *, pending: Sequence[Trial] = ()) -> list[Params]:
        return [{name: self.point for name in self.space.names}][:n]


def test_a_factory_gets_a_maximizing_unit_space_and_every_observation() -> None:
    built: list[Fixed] = []

    def factory(space: Any, **kwargs: Any) -> Fixed:
        algo = Fixed(space, **kwargs)
        built.append(algo)
        return algo

    X, y = initial(3, n=4)
    x = HPOBMethod(factory, seed=3, point=0.25).observe_and_suggest(X, y)
    np.testing.assert_array_equal(x, np.full((1, 3), 0.25))
    (algo,) = built
    assert algo.direction is Direction.MAXIMIZE and algo.seed == 3
    assert algo.space.names == ["x0", "x1", "x2"]
    assert [t.id for t in algo.finished] == [0, 1, 2, 3]
    assert [t.value for t in algo.finished] == pytest.approx(y[:, 0].tolist())
    assert algo.finished[2].params == {f"x{j}": pytest.approx(X[2, j]) for j in range(3)}


def test_discrete_answer_is_the_nearest_pending_candidate() -> None:
    X, y = initial(2, n=3)
    X_pen = np.array([[0.9, 0.9], [0.55, 0.45], [0.1, 0.2], [0.5, 0.5]])
    method = HPOBMethod(Fixed, point=0.5)
    assert method.observe_and_suggest(X, y, X_pen) == 3
    assert method.observe_and_suggest(X, y, X_pen[:3]) == 1


class Chooser(Fixed):
    name = "chooser-for-test"

    def choose_among(self, candidates: Sequence[Params]) -> int:
        self.seen_candidates = list(candidates)
        return len(candidates) - 1


def test_algorithms_that_score_candidates_choose_themselves() -> None:
    X, y = initial(2, n=3)
    X_pen = np.vstack([X[:1], np.array([[0.5, 0.5], [0.2, 0.9]])])  # row 0 was observed
    assert HPOBMethod(Chooser).observe_and_suggest(X, y, X_pen) == 2


def test_an_instance_is_refused() -> None:
    with pytest.raises(AlgorithmError, match="factory"):
        HPOBMethod(Fixed(unit_space(2)))  # type: ignore[arg-type]
