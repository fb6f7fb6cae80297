"""The good group of a sweep with several metrics or constraints (multi-objective TPE).

Observations are ranked by Deb's constraint domination (:func:`hypersweep.pareto.constrained_ranks`):
feasible ones by non-domination rank first, then infeasible ones by total violation, the smaller
first (as MOTPE, Ozaki et al. 2020/2022, with the c-TPE idea of trusting feasibility before the
objectives). Whole ranks fill the good group in order; when the last rank that fits only partly
is a feasible front, its members are kept greedily by hypervolume contribution (each step keeps
the member adding most to the hypervolume of those already kept, ties to the lower index), so the
good group spreads along the front instead of crowding one end. An infeasible rank (equal
violations) is cut in index (trial-id) order.
"""
from __future__ import annotations

import numpy as np

from hypersweep.pareto import constrained_ranks, hypervolume

#: the reference point lies this fraction of each objective's range beyond the worst observation
_REFERENCE_MARGIN = 0.1


def valid_rows(loss: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The ``rows`` that have a loss: ``loss`` is one loss per row (n,) or the losses and the
    violation (n, k + 1), NaN where a trial has none."""
    column = loss[rows] if loss.ndim == 1 else loss[rows, 0]
    return rows[~np.isnan(column)]


def best_rows(loss: np.ndarray, valid: np.ndarray, n_good: int) -> np.ndarray:
    """The ``n_good`` best of the ``valid`` rows: the lowest single loss (ties: the earlier row),
    or by :func:`good_indices` for losses and violation."""
    if loss.ndim == 1:
        return valid[np.argsort(loss[valid], kind="stable")][:n_good]
    return valid[good_indices(loss[valid, :-1], loss[valid, -1], n_good)]


def good_indices(losses: np.ndarray, violation: np.ndarray, n_good: int) -> np.ndarray:
    """Sorted row indices of the ``n_good`` best observations of ``losses`` (n, k; minimized)
    under total constraint ``violation`` (n,; 0 when feasible)."""
    n = len(losses)
    if n_good >= n:
        return np.arange(n)
    ranks = constrained_ranks(losses, violation)
    chosen: list[int] = []
    for rank in np.unique(ranks):
        members = np.flatnonzero(ranks == rank)
        room = n_good - len(chosen)
        if len(members) <= room:
            chosen.extend(members.tolist())
        else:
            if violation[members[0]] <= 0:
                members = _by_contribution(losses, members, room, _reference(losses))
            chosen.extend(members[:room].tolist())
        if len(chosen) >= n_good:
            break
    return np.sort(np.asarray(chosen, dtype=int))


def _reference(losses: np.ndarray) -> np.ndarray:
    """A reference point just beyond the worst observation in every objective."""
    worst, best = losses.max(axis=0), losses.min(axis=0)
    span = np.where(worst > best, worst - best, 1.0)
    return worst + _REFERENCE_MARGIN * span


def _by_contribution(losses: np.ndarray, members: np.ndarray, count: int, reference: np.ndarray) -> np.ndarray:
    """``count`` of ``members`` (one front) picked greedily: each adds the most hypervolume to
    those picked before it."""
    kept: list[int] = []
    left = list(members)
    volume = 0.0
    for _ in range(count):
        gains = [hypervolume(losses[[*kept, i]], reference) - volume for i in left]
        best = int(np.argmax(gains))  # first maximum: the lower index on ties
        volume += gains[best]
        kept.append(left.pop(best))
    return np.asarray(kept, dtype=int)


__all__ = ["best_rows", "good_indices", "valid_rows"]
