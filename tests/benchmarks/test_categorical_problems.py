"""The categorical development problems against plain per-simulation implementations of their
published definitions, and the scikit-learn pipelines against a direct cross-validation."""
from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from benchmarks.problems import get_problem, resolve
from benchmarks.problems.categorical import (
    ACKLEY_LABELS,
    ACKLEY_LEVELS,
    N_SIMULATIONS,
    N_STAGES,
    Contamination,
    PestControl,
)


def contamination_loop(problem: Contamination, x: np.ndarray) -> float:
    """Hu et al.'s contamination chain, one simulation and one stage at a time."""
    total = 0.0
    z = problem.init_z.copy()
    for i in range(N_STAGES):
        for s in range(N_SIMULATIONS):
            lam, gam = problem.lambdas[i, s], problem.gammas[i, s]
            z[s] = lam * (1 - x[i]) * (1 - z[s]) + (1 - gam * x[i]) * z[s]
        total += x[i] - (np.mean(z < problem.threshold) - (1 - problem.epsilon))
    return total + problem.penalty * x.sum()


def pest_loop(problem: PestControl, x: np.ndarray) -> float:
    """COMBO's pest control, one station at a time: prices with volume discount, tolerance growth."""
    price = {1: 1.0, 2: 0.8, 3: 0.7, 4: 0.5}
    discount = {1: 0.2, 2: 0.3, 3: 0.3, 4: 0.0}
    beta = {1: 2 / 7, 2: 3 / 7, 3: 3 / 7, 4: 5 / 7}
    tolerance = {1: 1 / 7, 2: 2.5 / 7, 3: 2 / 7, 4: 0.5 / 7}
    frac = problem.init_frac.copy()
    paid = above = 0.0
    for i, c in enumerate(int(v) for v in x):
        above += float(np.mean(frac > problem.threshold))
        if c:
            rate = 1 - (1 - problem.control_u[i]) ** (1 / beta[c])
            frac = (1 - rate) * frac
            beta[c] += tolerance[c] / N_STAGES
            paid += price[c] * (1 - discount[c] / N_STAGES * float(np.sum(x == c)))
        else:
            frac = problem.spread[i] * (1 - frac) + frac
    return paid + above


def test_contamination_matches_the_chain_simulated_step_by_step() -> None:
    problem = Contamination()
    rng = np.random.default_rng(3)
    x = rng.integers(2, size=(5, N_STAGES))
    assert problem(x) == pytest.approx([contamination_loop(problem, row) for row in x])
    # preventing everywhere costs 25.25 but satisfies every constraint a bit better than never
    assert problem(np.ones((1, N_STAGES)))[0] < N_STAGES + 0.25 + 0.05 * N_STAGES


def test_pest_control_matches_the_stations_simulated_one_by_one() -> None:
    problem = PestControl()
    rng = np.random.default_rng(4)
    x = rng.integers(5, size=(5, N_STAGES))
    assert problem(x) == pytest.approx([pest_loop(problem, row) for row in x])


def test_simulation_problems_have_a_reachable_optimum_and_sane_references() -> None:
    for name, levels in (("contamination", 2), ("pest_control", 5)):
        problem = get_problem(name)
        assert problem.optimum < problem.reference_median < problem.reference_worst
        assert len(problem.space.names) == N_STAGES
        params = problem.space.sample(np.random.default_rng(0))
        assert {params[n] for n in problem.space.names} <= {str(v) for v in range(levels)}
        assert problem.evaluate(params) >= problem.optimum - 1e-9 or problem.regret(problem.evaluate(params)) == 0.0


def test_categorical_ackley_is_zero_only_at_the_labels_of_zero() -> None:
    problem = get_problem("ackley_cat")
    zero = {f"c{i}": ACKLEY_LABELS[int(np.flatnonzero(ACKLEY_LEVELS[problem.perms[i]] == 0)[0])] for i in range(20)}
    at_zero = {**zero, "x0": 0.0, "x1": 0.0, "x2": 0.0}
    assert problem.evaluate(at_zero) == pytest.approx(0.0, abs=1e-12)
    flipped = dict(at_zero, c3=next(lab for lab in ACKLEY_LABELS if lab != zero["c3"]))
    assert problem.evaluate(flipped) > 0.5
    assert problem.reference_worst > problem.reference_median > 0.0


@pytest.mark.skipif(importlib.util.find_spec("sklearn") is None, reason="scikit-learn not installed")
def test_sklearn_pipeline_scores_equal_a_direct_cross_validation() -> None:
    from sklearn.datasets import load_breast_cancer
    from sklearn.model_selection import KFold, cross_val_score
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    problem = get_problem("sklearn/breast_cancer")
    assert "sklearn/breast_cancer" in resolve(["catdev"])
    params = problem.space.sample(np.random.default_rng(0))
    params.update(scaler="standard", family="knn", knn_n_neighbors=12, knn_weights="distance")
    x, y = load_breast_cancer(return_X_y=True)
    direct = cross_val_score(make_pipeline(StandardScaler(), KNeighborsClassifier(12, weights="distance")),
                             x, y, cv=KFold(3, shuffle=True, random_state=0)).mean()
    assert problem.evaluate(params) == pytest.approx(1.0 - direct)
    # a family's parameters are the only ones that count
    assert problem.evaluate(dict(params, svm_C=1000.0, forest_max_depth=2)) == problem.evaluate(params)
    assert len(problem.table) == 144 and problem.optimum == min(problem.table.values())
