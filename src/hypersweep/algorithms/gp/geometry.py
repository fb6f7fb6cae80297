"""The mixed space as the acquisition optimizer sees it: which unit columns move freely,
which take a few legal levels, and how to snap any point of [0, 1]^D onto a legal encoding.

Snapped points are exactly what ``space.to_unit`` gives for the decoded params, so the GP
scores the point that will be proposed and ``space.from_unit`` decodes it to that point.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hypersweep.algorithms.base import ENUMERATION_LIMIT
from hypersweep.space import Space

#: integer parameters with more levels than this move with L-BFGS-B (then snap)
RELAX_LEVELS = 64
#: largest integer level table precomputed (above: snap through the dimension itself)
_TABLE_LIMIT = 4096
#: rank offsets tried in local search on a parameter with many levels
_NEAR = (-4, -2, -1, 1, 2, 4)


@dataclass(frozen=True)
class Group:
    """One parameter that is not plainly continuous.

    ``kind`` is ``"levels"`` (one column, legal positions in ``positions``), ``"onehot"``
    (``cols`` one per level) or ``"snap"`` (one column, too many levels for a table: snapped
    through the dimension's own decode/encode).
    """

    param: str
    kind: str
    cols: tuple[int, ...]
    positions: np.ndarray | None = None


class Geometry:
    """Continuous columns, discrete groups, snapping and discrete neighbourhoods of a space."""

    def __init__(self, space: Space) -> None:
        self.space = space
        self.dim = space.n_columns
        free: list[int] = []
        groups: list[Group] = []
        onehot: dict[str, list[int]] = {}
        for col in space.columns:
            if col.kind == "continuous":
                free.append(col.index)
            elif col.kind == "onehot":
                onehot.setdefault(col.param, []).append(col.index)
            elif col.kind == "ordinal" and int(col.n_levels or 1) <= ENUMERATION_LIMIT:
                n = int(col.n_levels or 1)
                groups.append(Group(col.param, "levels", (col.index,), (np.arange(n) + 0.5) / n))
            elif col.kind == "ordinal":  # too many levels to list: moves freely, snapped by its dimension
                groups.append(Group(col.param, "snap", (col.index,)))
                free.append(col.index)
            else:  # integer (quantized)
                positions = _integer_positions(space, col.param, col.n_levels)
                groups.append(Group(col.param, "levels" if positions is not None else "snap", (col.index,), positions))
                if col.n_levels is None or col.n_levels > RELAX_LEVELS:
                    free.append(col.index)
        groups.extend(Group(p, "onehot", tuple(cols)) for p, cols in onehot.items())
        self.free = np.asarray(sorted(free), dtype=int)
        self.groups = groups

    def length_scale_tie(self) -> np.ndarray:
        """Length-scale index of each column (D,): the one-hot columns of a categorical parameter
        share one index (overlap/Hamming distance), every other column has its own."""
        tie = np.full(self.dim, -1, dtype=int)
        k = 0
        for g in self.groups:
            if g.kind == "onehot":
                tie[list(g.cols)] = k
                k += 1
        for col in np.flatnonzero(tie < 0):
            tie[col] = k
            k += 1
        return tie

    # -- snapping ---------------------------------------------------------------------------
    def snap(self, x: np.ndarray) -> np.ndarray:
        """Legal encodings of the rows of ``x`` (n, D), a new array."""
        out = np.clip(np.asarray(x, dtype=float), 0.0, 1.0).copy()
        for g in self.groups:
            if g.kind == "onehot":
                cols = list(g.cols)
                pick = np.argmax(out[:, cols], axis=1)
                out[:, cols] = 0.0
                out[np.arange(out.shape[0]), np.asarray(cols)[pick]] = 1.0
            elif g.kind == "levels":
                out[:, g.cols[0]] = _nearest(g.positions, out[:, g.cols[0]])  # type: ignore[arg-type]
            else:
                dim = self.space[g.param]
                out[:, g.cols[0]] = dim.encode(dim.decode(out[:, g.cols[0]][:, None]))[:, 0]
        if self.space.is_structured:  # inactive parameters at their dedicated encoding, rules kept
            out = self.space.canonical_unit(out)
        return out

    # -- neighbourhoods -----------------------------------------------------------------------
    def neighbours(self, x: np.ndarray) -> np.ndarray:
        """Every point that differs from ``x`` (D,) in one discrete parameter: shape (k, D)."""
        rows: list[np.ndarray] = []
        for g in self.groups:
            if g.kind == "onehot":
                current = int(np.argmax(x[list(g.cols)]))
                for j, col in enumerate(g.cols):
                    if j != current:
                        y = x.copy()
                        y[list(g.cols)] = 0.0
                        y[col] = 1.0
                        rows.append(y)
                continue
            col = g.cols[0]
            if g.positions is not None:
                pos = g.positions
                i = int(np.argmin(np.abs(pos - x[col])))
                idx = range(len(pos)) if len(pos) <= 32 else (i + d for d in _NEAR)
                for j in idx:
                    if 0 <= j < len(pos) and j != i:
                        y = x.copy()
                        y[col] = pos[j]
                        rows.append(y)
            else:
                for step in (-0.02, -0.005, 0.005, 0.02):
                    y = x.copy()
                    y[col] = min(1.0, max(0.0, x[col] + step))
                    rows.append(self.snap(y[None, :])[0])
        return np.asarray(rows).reshape(-1, self.dim)

    def resample_groups(self, x: np.ndarray, rng: np.random.Generator, p: float) -> np.ndarray:
        """Copy of ``x`` (n, D) with each discrete group redrawn uniformly with probability ``p``."""
        out = x.copy()
        n = out.shape[0]
        for g in self.groups:
            hit = rng.random(n) < p
            if not hit.any():
                continue
            if g.kind == "onehot":
                k = len(g.cols)
                pick = rng.integers(k, size=int(hit.sum()))
                block = np.zeros((int(hit.sum()), k))
                block[np.arange(block.shape[0]), pick] = 1.0
                out[np.ix_(hit, list(g.cols))] = block
            else:
                out[hit, g.cols[0]] = rng.random(int(hit.sum()))
        return self.snap(out)


def _nearest(positions: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The entry of sorted ``positions`` nearest each of ``values``."""
    i = np.clip(np.searchsorted(positions, values), 1, len(positions) - 1) if len(positions) > 1 else None
    if i is None:
        return np.full_like(values, positions[0])
    left, right = positions[i - 1], positions[i]
    return np.where(np.abs(values - left) <= np.abs(right - values), left, right)


def _integer_positions(space: Space, param: str, n_levels: int | None) -> np.ndarray | None:
    """Sorted unit positions of every level of a quantized parameter, when few enough."""
    dim = space[param]
    kmin, kmax = getattr(dim, "kmin", None), getattr(dim, "kmax", None)
    grid = getattr(dim, "grid", None)
    if n_levels is None or n_levels > _TABLE_LIMIT or kmin is None or kmax is None or grid is None:
        return None
    values = [grid(k) for k in range(int(kmin), int(kmax) + 1)]
    return np.sort(dim.encode(values)[:, 0])


__all__ = ["RELAX_LEVELS", "Geometry", "Group"]
