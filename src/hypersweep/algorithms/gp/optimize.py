"""Maximize an acquisition over the whole mixed space.

1. score many quasi-random (scrambled Sobol) points and perturbations of the best observed
   points, every one snapped to a legal encoding;
2. from the best few and the best observed points, run L-BFGS-B on the free (continuous) columns with the discrete ones
   fixed, all starts in one call (the sum of independent scores);
3. local search over discrete neighbours (one parameter changed at a time), alternating with
   step 2 while a discrete move helps.

The result is every scored point, best first, so a caller can skip points already taken.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.optimize
from scipy.stats import qmc

from hypersweep.algorithms.gp.geometry import Geometry

#: ``score(x (m, D)) -> (m,)``
ScoreFn = Callable[[np.ndarray], np.ndarray]
#: ``score_and_grad(x (m, D)) -> ((m,), (m, D))``
ScoreGradFn = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class SearchBudget:
    """How hard to search: raw candidates, perturbations per incumbent, local starts (the best
    candidates, plus the best observed points), rounds of local moves (a start stops early when
    no move helps)."""

    n_raw: int = 1024
    n_incumbents: int = 5
    n_perturb: int = 40
    n_starts: int = 4
    n_incumbent_starts: int = 2
    rounds: int = 30
    maxiter: int = 60


def maximize(
    geometry: Geometry,
    score: ScoreFn,
    score_and_grad: ScoreGradFn,
    incumbents: np.ndarray,
    rng: np.random.Generator,
    budget: SearchBudget = SearchBudget(),
) -> tuple[np.ndarray, np.ndarray]:
    """Candidates (k, D) sorted by decreasing score, and their scores (k,)."""
    dim = geometry.dim
    seed = int(rng.integers(2**31))
    raw = qmc.Sobol(dim, scramble=True, seed=seed).random(budget.n_raw)
    parts = [geometry.snap(raw)]
    if len(incumbents):
        base = np.repeat(incumbents[: budget.n_incumbents], budget.n_perturb, axis=0)
        scale = rng.choice([0.01, 0.05, 0.2], size=(base.shape[0], 1))
        moved = base.copy()
        free = geometry.free
        if free.size:
            moved[:, free] = base[:, free] + scale * rng.standard_normal((base.shape[0], free.size))
        flip = min(0.5 if free.size == 0 else 0.15, 2.0 / max(1, len(geometry.groups)))
        parts.append(geometry.resample_groups(geometry.snap(moved), rng, flip))
    cands = np.concatenate(parts)
    values = score(cands)
    order = np.argsort(-values, kind="stable")
    starts = _distinct(cands[order], budget.n_starts)
    if len(incumbents) and budget.n_incumbent_starts:  # local moves from the best observed points too
        starts = _distinct(np.concatenate([incumbents[: budget.n_incumbent_starts], starts]),
                           budget.n_starts + budget.n_incumbent_starts)
    best, best_values = _local_search(geometry, starts, score, score_and_grad, budget)
    all_x = np.concatenate([best, cands])
    all_v = np.concatenate([best_values, values])
    order = np.argsort(-all_v, kind="stable")
    return all_x[order], all_v[order]


def _distinct(x: np.ndarray, k: int) -> np.ndarray:
    keep: list[int] = []
    for i in range(x.shape[0]):
        if all(np.max(np.abs(x[i] - x[j])) > 1e-9 for j in keep):
            keep.append(i)
            if len(keep) == k:
                break
    return x[keep]


def _local_search(
    geometry: Geometry, starts: np.ndarray, score: ScoreFn, score_and_grad: ScoreGradFn, budget: SearchBudget
) -> tuple[np.ndarray, np.ndarray]:
    x = starts.copy()
    values = score(x)
    active = np.ones(x.shape[0], dtype=bool)
    for _ in range(budget.rounds):
        if geometry.free.size:
            x[active], values[active] = _continuous_step(geometry, x[active], values[active], score_and_grad, budget)
        if not geometry.groups:
            break
        moved = np.zeros(x.shape[0], dtype=bool)
        for i in np.flatnonzero(active):
            nb = geometry.neighbours(x[i])
            if not nb.shape[0]:
                continue
            nv = score(nb)
            j = int(np.argmax(nv))
            if nv[j] > values[i] + 1e-12:
                x[i], values[i], moved[i] = nb[j], nv[j], True
        active = moved
        if not active.any():
            break
    return x, values


def _continuous_step(
    geometry: Geometry, x: np.ndarray, values: np.ndarray, score_and_grad: ScoreGradFn, budget: SearchBudget
) -> tuple[np.ndarray, np.ndarray]:
    """L-BFGS-B on the free columns of every row at once; rows keep their old point unless improved."""
    free = geometry.free
    m = x.shape[0]

    def objective(z: np.ndarray) -> tuple[float, np.ndarray]:
        pts = x.copy()
        pts[:, free] = z.reshape(m, free.size)
        v, g = score_and_grad(pts)
        return -float(np.sum(v)), -g[:, free].reshape(-1)

    res = scipy.optimize.minimize(
        objective, x[:, free].reshape(-1), jac=True, method="L-BFGS-B",
        bounds=[(0.0, 1.0)] * (m * free.size), options={"maxiter": budget.maxiter},
    )
    cand = x.copy()
    cand[:, free] = np.clip(res.x.reshape(m, free.size), 0.0, 1.0)
    cand = geometry.snap(cand)
    new_values, _ = score_and_grad(cand)
    better = new_values > values
    x = np.where(better[:, None], cand, x)
    return x, np.where(better, new_values, values)


__all__ = ["SearchBudget", "maximize"]
