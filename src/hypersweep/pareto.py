"""Pareto fronts and hypervolume on loss vectors (every objective minimized).

Rows of ``losses`` are points; a point dominates another when it is no worse in every
objective and better in one. ``hypervolume`` is exact in any dimension (the WFG recursion:
each point's exclusive volume is its box minus the volume of the others limited to that box),
which is fast for the fronts of a sweep (tens to a few hundred points, up to 6 objectives).

>>> import numpy as np
>>> hypervolume(np.array([[1.0, 3.0], [2.0, 2.0], [3.0, 1.0]]), np.array([4.0, 4.0]))
6.0
>>> non_dominated_ranks(np.array([[1.0, 3.0], [2.0, 2.0], [2.5, 2.5], [3.0, 3.0]])).tolist()
[0, 0, 1, 2]
"""
from __future__ import annotations

import numpy as np

__all__ = [
    "constrained_ranks", "crowding_distance", "dominated_by_any", "hypervolume", "hypervolume_contributions",
    "non_dominated_ranks", "pareto_mask",
]


def _dominance(losses: np.ndarray) -> np.ndarray:
    """``out[i, j]``: point i dominates point j."""
    le = (losses[:, None, :] <= losses[None, :, :]).all(axis=2)
    lt = (losses[:, None, :] < losses[None, :, :]).any(axis=2)
    return le & lt


def pareto_mask(losses: np.ndarray) -> np.ndarray:
    """True for the points no other point dominates (duplicates of a front point stay on it)."""
    losses = np.asarray(losses, dtype=float)
    if len(losses) == 0:
        return np.zeros(0, dtype=bool)
    keep = np.ones(len(losses), dtype=bool)
    for start in range(0, len(losses), 512):  # blocks keep memory bounded on large sweeps
        block = losses[start:start + 512]
        le = (losses[:, None, :] <= block[None, :, :]).all(axis=2)
        lt = (losses[:, None, :] < block[None, :, :]).any(axis=2)
        keep[start:start + 512] = ~(le & lt).any(axis=0)
    return keep


def non_dominated_ranks(losses: np.ndarray) -> np.ndarray:
    """The front each point is on: 0 for the Pareto front, 1 once it is removed, and so on."""
    losses = np.asarray(losses, dtype=float)
    n = len(losses)
    ranks = np.full(n, -1, dtype=int)
    if n == 0:
        return ranks
    dominates = _dominance(losses)
    count = dominates.sum(axis=0)  # how many points dominate each point
    front = np.flatnonzero(count == 0)
    rank = 0
    while front.size:
        ranks[front] = rank
        count = count - dominates[front].sum(axis=0)
        count[ranks >= 0] = -1
        front = np.flatnonzero(count == 0)
        rank += 1
    return ranks


def constrained_ranks(losses: np.ndarray, violation: np.ndarray) -> np.ndarray:
    """Deb's constraint domination as ranks: feasible points by non-domination, then infeasible
    ones after every feasible front, the smaller total violation first (equal violations tie)."""
    violation = np.asarray(violation, dtype=float)
    feasible = violation <= 0
    ranks = np.zeros(len(violation), dtype=int)
    if feasible.any():
        ranks[feasible] = non_dominated_ranks(np.asarray(losses, dtype=float)[feasible])
    top = int(ranks[feasible].max()) + 1 if feasible.any() else 0
    if (~feasible).any():
        levels = np.unique(violation[~feasible], return_inverse=True)[1]
        ranks[~feasible] = top + levels
    return ranks


def dominated_by_any(points: np.ndarray, front: np.ndarray) -> np.ndarray:
    """For each row of ``points``: is it weakly dominated by a row of ``front``."""
    points, front = np.asarray(points, dtype=float), np.asarray(front, dtype=float)
    if len(front) == 0:
        return np.zeros(len(points), dtype=bool)
    return (front[None, :, :] <= points[:, None, :]).all(axis=2).any(axis=1)


def crowding_distance(losses: np.ndarray) -> np.ndarray:
    """NSGA-II's crowding distance within one front (boundary points: infinity)."""
    losses = np.asarray(losses, dtype=float)
    n, d = losses.shape
    out = np.zeros(n)
    if n <= 2:
        return np.full(n, np.inf)
    for j in range(d):
        order = np.argsort(losses[:, j], kind="stable")
        column = losses[order, j]
        span = column[-1] - column[0]
        out[order[0]] = out[order[-1]] = np.inf
        if span > 0:
            out[order[1:-1]] += (column[2:] - column[:-2]) / span
    return out


def hypervolume(points: np.ndarray, reference: np.ndarray) -> float:
    """The volume dominated by ``points`` and bounded by ``reference`` (points beyond it count 0)."""
    points = np.asarray(points, dtype=float).reshape(-1, len(reference))
    reference = np.asarray(reference, dtype=float)
    inside = points[(points < reference).all(axis=1)]
    if len(inside) == 0:
        return 0.0
    front = np.unique(inside[pareto_mask(inside)], axis=0)
    return float(_wfg(front, reference))


def hypervolume_contributions(points: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """What each point alone adds to the hypervolume of the others (0 for a dominated one)."""
    points = np.asarray(points, dtype=float)
    total = hypervolume(points, reference)
    return np.array([total - hypervolume(np.delete(points, i, axis=0), reference) for i in range(len(points))])


def _wfg(front: np.ndarray, reference: np.ndarray) -> float:
    """Hypervolume of mutually non-dominated points that all beat ``reference``."""
    n, d = front.shape
    if n == 0:
        return 0.0
    if n == 1:
        return float(np.prod(reference - front[0]))
    if d == 2:
        return _hv2d(front, reference)
    front = front[np.argsort(front[:, 0], kind="stable")]
    total = 0.0
    for i in range(n):
        box = float(np.prod(reference - front[i]))
        rest = np.maximum(front[i + 1:], front[i])  # the later points, limited to point i's box
        if len(rest):
            rest = rest[(rest < reference).all(axis=1)]
            rest = rest[pareto_mask(rest)]
            box -= _wfg(np.unique(rest, axis=0), reference)
        total += box
    return total


def _hv2d(front: np.ndarray, reference: np.ndarray) -> float:
    """The 2-D case: a sweep over the points sorted by the first objective."""
    front = front[np.argsort(front[:, 0], kind="stable")]
    widths = np.diff(np.append(front[:, 0], reference[0]))
    best_second = np.minimum.accumulate(front[:, 1])
    return float(np.sum(widths * (reference[1] - best_second)))
