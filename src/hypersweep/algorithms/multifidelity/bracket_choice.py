"""Which Hyperband bracket to run next: how well does each starting budget rank the top one?

A bracket that starts at budget r pays off only when results at r rank configurations the way
full-budget results do. After each fidelity's observations, this module measures that
directly, in the spirit of Hyper-Tune's bracket selection (Li et al., VLDB 2022): the score of
r is the share of pairs of top-budget configurations whose results at r are ordered like their
top-budget results (from their learning curves or their lower rungs), or, where too few have
results at r, that a GP fitted on the results at r orders like them. The top budget itself is
scored by leave-one-out predictions of the GP on its own results: full-budget search pays off
when the model ranks new configurations better than cheap training does. Brackets whose cheap
results mislead (learning curves that cross) then lose to full-budget search (bracket 0).

>>> concordance(np.array([1.0, 2.0, 3.0]), np.array([0.1, 0.3, 0.2]))
0.6666666666666666
"""
from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import numpy as np
import scipy.linalg

from hypersweep.algorithms.gp.algorithm import standardize
from hypersweep.algorithms.gp.kernels import Kernel
from hypersweep.algorithms.gp.model import Posterior

#: fewest top-budget results before the scores are trusted (below: Hyperband's own order)
MIN_TOP = 4
#: temperature of the choice: brackets whose score is ``t`` below the best are e times less likely
TEMPERATURE = 0.05


def concordance(predicted: np.ndarray, actual: np.ndarray) -> float:
    """Share of pairs ordered alike by ``predicted`` and ``actual`` (both (n,)); ties count half."""
    i, j = np.triu_indices(actual.shape[0], k=1)
    if i.size == 0:
        return 0.5
    a = np.sign(actual[i] - actual[j])
    p = np.sign(predicted[i] - predicted[j])
    agree = np.where(a == 0, 0.5, np.where(p == 0, 0.5, (a == p).astype(float)))
    return float(np.mean(agree))


def loo_means(kernel: Kernel, theta: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Leave-one-out posterior means of a GP at its own inputs x (n, D), targets y (n,).

    Uses the closed form mu_i = y_i - [K^-1 y]_i / [K^-1]_ii, with the constant mean fitted on
    all points (a slight optimism shared by every point).
    """
    post = Posterior.build(kernel, theta, x, y)
    k_inv = scipy.linalg.cho_solve(post.chol, np.eye(x.shape[0]), check_finite=False)
    return y - post.alpha / np.diag(k_inv)


#: one budget's results: configuration keys, inputs (n, d) and losses (n,)
Results = tuple[Sequence[Hashable], np.ndarray, np.ndarray]


def budget_scores(
    kernel: Kernel,
    theta: np.ndarray,
    by_budget: Mapping[float, Results],
    top_budget: float,
) -> dict[float, float]:
    """The ranking score in [0, 1] of the budgets in ``by_budget`` against ``top_budget``.

    Only the better half of the top-budget configurations (at least ``MIN_TOP``) count: telling
    good configurations apart is what matters, and pairs of a good and a poor one are easy for
    every budget. A budget where at least ``MIN_TOP`` of them have results is scored directly
    (concordance of their results there with their top-budget ones); one with fewer by a GP
    fitted on its results predicting them; one with under two results is left out (unknown).

    Args:
        kernel, theta: the GP over configurations only (theta of length d + 2).
        by_budget: budget -> its results; ``top_budget`` must be among them.
        top_budget: the budget whose ranking counts.
    """
    top_keys, x_top, y_top = by_budget[top_budget]
    elite = np.argsort(y_top, kind="stable")[: max(MIN_TOP, (y_top.shape[0] + 1) // 2)]
    elite_index = {top_keys[i]: i for i in elite}
    scores: dict[float, float] = {}
    for budget, (keys, x, y) in by_budget.items():
        if budget == top_budget:
            loo = loo_means(kernel, theta, x, standardize(y))
            scores[budget] = concordance(loo[elite], y_top[elite])
            continue
        pairs = [(float(y[i]), float(y_top[elite_index[k]])) for i, k in enumerate(keys) if k in elite_index]
        if len(pairs) >= MIN_TOP:
            cheap, full = np.array(pairs).T
            scores[budget] = concordance(cheap, full)
        elif x.shape[0] >= 2:
            predicted = Posterior.build(kernel, theta, x, standardize(y)).predict(x_top[elite])[0]
            scores[budget] = concordance(predicted, y_top[elite])
    return scores


def choose(scores: Mapping[int, float], rng: np.random.Generator) -> int:
    """A bracket drawn with probability proportional to exp((score - best score) / TEMPERATURE)."""
    brackets = sorted(scores)
    values = np.array([scores[s] for s in brackets])
    weights = np.exp((values - values.max()) / TEMPERATURE)
    return int(brackets[int(rng.choice(len(brackets), p=weights / weights.sum()))])


__all__ = ["MIN_TOP", "TEMPERATURE", "Results", "budget_scores", "choose", "concordance", "loo_means"]
