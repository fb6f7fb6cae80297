"""Expected hypervolume improvement of independent Gaussian predictions, as its logarithm.

The region a new point could add to the hypervolume (below the reference, dominated by no
front point) is cut into boxes. A prediction ``Y`` with independent Gaussian objectives adds
``prod_j (u_j - max(Y_j, l_j))_+`` of box ``[l, u]``, whose expectation factorizes:
``E[(u - max(Y, l))_+] = sigma (h((u - mu) / sigma) - h((l - mu) / sigma))`` with
``h(z) = phi(z) + z Phi(z)`` (the EI function). Summing the boxes gives the exact EHVI; it is
evaluated in log space (``log_h``), so it stays informative far from the front where it
underflows (log-EHVI).

The boxes come from the grid of the front's coordinates on all objectives but the last, each
cell open downwards in the last one, neighbouring cells of equal height merged: at most
``(n + 1)^(k - 1)`` boxes, exact and cheap for 2 and 3 objectives. Beyond ``BOX_LIMIT`` boxes a Monte Carlo estimate replaces them: fixed uniform
points of the non-dominated region, each counted with the probability that the prediction
dominates it.
"""
from __future__ import annotations

import itertools

import numpy as np
from scipy.special import log_ndtr

from hypersweep.algorithms.gp.acquisition import log_h
from hypersweep.pareto import dominated_by_any

BOX_LIMIT = 4096
MC_POINTS = 4096
_FLOOR = -1e4  # log of "no improvement at all": below any real log-EHVI, still finite


class LogEHVI:
    """log-EHVI against a front (losses, every objective minimized) and a reference point."""

    def __init__(self, front: np.ndarray, reference: np.ndarray, rng: np.random.Generator, lowest: np.ndarray) -> None:
        """``lowest`` bounds the region from below for the Monte Carlo estimate (a point well
        beyond the best values of each objective)."""
        self.reference = np.asarray(reference, dtype=float)
        k = len(self.reference)
        front = np.asarray(front, dtype=float).reshape(-1, k)
        front = front[(front < self.reference).all(axis=1)]
        cells = int(np.prod([len(np.unique(front[:, j])) + 1 for j in range(k - 1)])) if k > 1 else 1
        self.boxes: tuple[np.ndarray, np.ndarray] | None = None
        self.samples: np.ndarray | None = None
        if cells <= BOX_LIMIT:
            self.boxes = _boxes(front, self.reference)
        else:
            low = np.minimum(np.asarray(lowest, dtype=float), self.reference - 1e-9)
            points = low + rng.random((MC_POINTS, k)) * (self.reference - low)
            self.samples = points[~dominated_by_any(points, front)]
            self.log_cell = float(np.sum(np.log(self.reference - low))) - np.log(MC_POINTS)

    def __call__(self, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
        """log EHVI at predictions ``mean``, ``std`` of shape (m, k)."""
        if self.boxes is not None:
            lower, upper = self.boxes
            if len(lower) == 0:
                return np.full(mean.shape[0], _FLOOR)
            total = np.zeros((mean.shape[0], lower.shape[0]))
            for j in range(mean.shape[1]):  # log_h once per distinct bound of each axis, then gathered
                log_upper = _log_h_at(upper[:, j], mean[:, j], std[:, j])
                gap = _log_h_at(lower[:, j], mean[:, j], std[:, j]) - log_upper  # -inf where the bound is -inf
                total += np.log(std[:, j])[:, None] + log_upper + np.log1p(-np.exp(np.minimum(gap, -1e-12)))
            out = _logsumexp(total)
        else:
            assert self.samples is not None
            if len(self.samples) == 0:
                return np.full(mean.shape[0], _FLOOR)
            z = (self.samples[None, :, :] - mean[:, None, :]) / std[:, None, :]
            out = _logsumexp(log_ndtr(z).sum(axis=2)) + self.log_cell
        return np.maximum(out, _FLOOR)


def _log_h_at(bounds: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    """``log_h((bound - mean) / std)`` of shape (m, boxes), computed once per distinct finite bound."""
    values, index = np.unique(bounds, return_inverse=True)
    out = np.full((mean.shape[0], len(values)), -np.inf)
    finite = np.isfinite(values)
    z = (values[finite][None, :] - mean[:, None]) / std[:, None]
    out[:, finite] = log_h(z.ravel()).reshape(z.shape)
    return out[:, index.ravel()]


def _logsumexp(a: np.ndarray) -> np.ndarray:
    """``log(sum(exp(a), axis=1))`` for rows of finite values."""
    top = a.max(axis=1)
    return top + np.log(np.exp(a - top[:, None]).sum(axis=1))


def _boxes(front: np.ndarray, reference: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Disjoint boxes ``(lower, upper)`` covering the region below ``reference`` that no point of
    ``front`` dominates; lower bounds may be ``-inf``."""
    k = len(reference)
    axes = []
    for j in range(k - 1):
        cuts = np.unique(front[:, j])
        axes.append((np.concatenate([[-np.inf], cuts]), np.concatenate([cuts, [reference[j]]])))
    lowers: list[np.ndarray] = []
    uppers: list[np.ndarray] = []
    for cell in itertools.product(*(range(len(lo)) for lo, _ in axes)):  # the last grid axis varies fastest
        lo = np.array([axes[j][0][i] for j, i in enumerate(cell)])
        hi = np.array([axes[j][1][i] for j, i in enumerate(cell)])
        covering = (front[:, : k - 1] <= lo).all(axis=1) if k > 1 else np.ones(len(front), dtype=bool)
        top = min(reference[-1], float(front[covering, -1].min())) if covering.any() else reference[-1]
        if not np.all(hi > lo):
            continue
        previous = uppers[-1] if uppers else None
        if (k > 2 and previous is not None and previous[-1] == top and previous[k - 2] == lo[k - 2]
                and np.array_equal(lowers[-1][: k - 2], lo[: k - 2])):
            previous[k - 2] = hi[k - 2]  # the neighbouring cell of the same column: one box
            continue
        lowers.append(np.append(lo, -np.inf))
        uppers.append(np.append(hi, top))
    return np.array(lowers).reshape(-1, k), np.array(uppers).reshape(-1, k)


__all__ = ["BOX_LIMIT", "LogEHVI"]
