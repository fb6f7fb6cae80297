"""Non-dominated sorting and hypervolume, checked against brute force and Optuna's WFG."""
import itertools

import numpy as np
import pytest
from optuna._hypervolume import compute_hypervolume

from hypersweep.pareto import (
    constrained_ranks, crowding_distance, hypervolume, hypervolume_contributions, non_dominated_ranks, pareto_mask,
)


def _brute_front(points):
    n = len(points)
    return np.array([
        not any(np.all(points[j] <= points[i]) and np.any(points[j] < points[i]) for j in range(n) if j != i)
        for i in range(n)
    ])


@pytest.mark.parametrize("k", [2, 3, 4])
def test_pareto_mask_and_ranks_match_brute_force(k):
    rng = np.random.default_rng(k)
    points = rng.integers(0, 6, size=(60, k)).astype(float)  # many ties and duplicates
    assert np.array_equal(pareto_mask(points), _brute_front(points))
    ranks = non_dominated_ranks(points)
    remaining = np.arange(len(points))
    for rank in itertools.count():
        if remaining.size == 0:
            break
        front = remaining[_brute_front(points[remaining])]
        assert set(np.flatnonzero(ranks == rank)) == set(front)
        remaining = np.setdiff1d(remaining, front)


@pytest.mark.parametrize("k, n", [(2, 40), (3, 30), (4, 20), (5, 12)])
def test_hypervolume_matches_optuna_wfg(k, n):
    rng = np.random.default_rng(10 * k + n)
    points = rng.random((n, k))
    points /= np.linalg.norm(points, axis=1, keepdims=True)  # a curved front, most points on it
    reference = np.full(k, 1.1)
    expected = compute_hypervolume(points[pareto_mask(points)], reference)
    assert hypervolume(points, reference) == pytest.approx(expected, rel=1e-12)


def test_hypervolume_ignores_points_beyond_the_reference_and_dominated_ones():
    reference = np.array([4.0, 4.0])
    front = np.array([[1.0, 3.0], [3.0, 1.0]])
    assert hypervolume(front, reference) == 5.0
    assert hypervolume(np.vstack([front, [[5.0, 0.0], [3.5, 3.5], [1.0, 3.0]]]), reference) == 5.0
    assert hypervolume(np.zeros((0, 2)), reference) == 0.0


def test_contributions_are_each_points_exclusive_volume():
    points = np.array([[1.0, 3.0], [2.0, 2.0], [3.0, 1.0], [3.0, 3.0]])
    assert hypervolume_contributions(points, np.array([4.0, 4.0])).tolist() == [1.0, 1.0, 1.0, 0.0]


def test_constrained_ranks_put_every_feasible_point_first():
    losses = np.array([[5.0, 5.0], [0.0, 0.0], [1.0, 2.0], [2.0, 1.0]])
    violation = np.array([0.0, 3.0, 0.0, 0.5])
    ranks = constrained_ranks(losses, violation)
    assert ranks.tolist() == [1, 3, 0, 2]  # feasible front, feasible dominated, then by violation


def test_crowding_distance_keeps_the_extremes():
    losses = np.array([[0.0, 4.0], [1.0, 3.0], [3.0, 1.0], [4.0, 0.0]])
    crowd = crowding_distance(losses)
    assert np.isinf(crowd[[0, 3]]).all() and crowd[1] == pytest.approx(crowd[2])
