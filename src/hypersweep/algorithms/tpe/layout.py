"""How TPE sees a space: continuous positions, binned (ordered) levels and categories.

The space's unit encoding (``space.to_unit`` / ``space.columns``) is regrouped per parameter:

* ``continuous`` columns, and ``integer`` (quantized) columns with more than
  :data:`MAX_BINNED_LEVELS` levels: a position in [0, 1] (quantized ones snapped to their grid);
* ``ordinal`` columns and smaller ``integer`` columns: *binned*, an ordered level index whose
  level sits at a position in [0, 1] and owns the bin between the midpoints to its neighbours,
  so a kernel over positions gives each level the mass of its bin (order and log spacing kept);
* ``onehot`` groups: one categorical index per parameter (never independent one-hot columns).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hypersweep.algorithms.base import ENUMERATION_LIMIT
from hypersweep.space import Space

#: quantized dimensions with at most this many levels are modelled level by level
MAX_BINNED_LEVELS = 256


@dataclass(frozen=True)
class Points:
    """``n`` points in TPE's coordinates.

    Attributes:
        cont: positions of the continuous parameters, shape ``(n, n_cont)``.
        binned: level indices of the binned parameters, shape ``(n, n_binned)``.
        cat: category indices of the categorical parameters, shape ``(n, n_cat)``.
    """

    cont: np.ndarray
    binned: np.ndarray
    cat: np.ndarray

    def __len__(self) -> int:
        return int(self.cont.shape[0])

    def take(self, index: np.ndarray | slice) -> Points:
        """The rows ``index`` (an index array or a slice)."""
        return Points(self.cont[index], self.binned[index], self.cat[index])

    @staticmethod
    def concat(parts: list[Points]) -> Points:
        """Rows of every part, in order."""
        return Points(
            np.concatenate([p.cont for p in parts]),
            np.concatenate([p.binned for p in parts]),
            np.concatenate([p.cat for p in parts]),
        )


class Layout:
    """Maps unit-encoded rows ``(n, D)`` to :class:`Points` and back, for one space."""

    def __init__(self, space: Space) -> None:
        self.space = space
        self.n_params = len(space.names)
        self.n_columns = space.n_columns
        self.cont_cols: list[int] = []
        self.snap: list[tuple[int, str]] = []  # (index in cont, param) of large quantized ones
        self.binned_cols: list[int] = []
        self.positions: list[np.ndarray] = []  # per binned param: level positions, ascending
        self.edges: list[np.ndarray] = []  # per binned param: n_levels + 1 bin edges from 0 to 1
        self.cat_slices: list[slice] = []
        self.cat_prior: list[np.ndarray] = []  # per categorical param: prior probabilities
        by_param: dict[str, list] = {}
        for col in space.columns:
            by_param.setdefault(col.param, []).append(col)
        for name, cols in by_param.items():
            first = cols[0]
            if first.kind == "onehot":
                self.cat_slices.append(space.column_slice(name))
                self.cat_prior.append(_prior(space, name, len(cols)))
            elif (first.kind == "ordinal" and (first.n_levels or 0) <= ENUMERATION_LIMIT) or (
                first.kind == "integer" and (first.n_levels or 0) <= MAX_BINNED_LEVELS
            ):
                self.binned_cols.append(first.index)
                pos = _level_positions(space, name, first.kind, int(first.n_levels or 1))
                self.positions.append(pos)
                mids = 0.5 * (pos[1:] + pos[:-1])
                self.edges.append(np.concatenate([[0.0], mids, [1.0]]))
            else:  # continuous, or too many levels to bin: a position snapped to its grid
                if first.kind in ("integer", "ordinal"):
                    self.snap.append((len(self.cont_cols), name))
                self.cont_cols.append(first.index)

    @property
    def n_cont(self) -> int:
        return len(self.cont_cols)

    @property
    def n_binned(self) -> int:
        return len(self.binned_cols)

    @property
    def n_cat(self) -> int:
        return len(self.cat_slices)

    def encode(self, unit: np.ndarray) -> Points:
        """Unit rows ``(n, D)`` -> points."""
        unit = np.asarray(unit, dtype=float).reshape(-1, self.n_columns)
        cont = unit[:, self.cont_cols]
        binned = np.empty((unit.shape[0], self.n_binned), dtype=np.int64)
        for j, col in enumerate(self.binned_cols):
            inner = self.edges[j][1:-1]
            binned[:, j] = np.searchsorted(inner, unit[:, col], side="right")
        cat = np.empty((unit.shape[0], self.n_cat), dtype=np.int64)
        for j, sl in enumerate(self.cat_slices):
            cat[:, j] = np.argmax(unit[:, sl], axis=1)
        return Points(cont, binned, cat)

    def decode(self, points: Points) -> np.ndarray:
        """Points -> unit rows ``(n, D)`` that ``space.from_unit_many`` turns into params."""
        out = np.zeros((len(points), self.n_columns))
        out[:, self.cont_cols] = points.cont
        for j, col in enumerate(self.binned_cols):
            out[:, col] = self.positions[j][points.binned[:, j]]
        rows = np.arange(len(points))
        for j, sl in enumerate(self.cat_slices):
            out[rows, sl.start + points.cat[:, j]] = 1.0
        return out

    def snap_cont(self, cont: np.ndarray) -> np.ndarray:
        """Continuous positions with large quantized parameters moved onto their grid."""
        if not self.snap:
            return cont
        cont = cont.copy()
        for j, name in self.snap:
            dim = self.space[name]
            cont[:, j] = dim.encode(dim.decode(np.clip(cont[:, j : j + 1], 0.0, 1.0)))[:, 0]
        return cont


def _level_positions(space: Space, name: str, kind: str, n_levels: int) -> np.ndarray:
    """Unit positions of a binned parameter's levels, ascending."""
    if kind == "ordinal":
        return (np.arange(n_levels) + 0.5) / n_levels
    dim = space[name]
    values = [dim.grid(k) for k in range(dim.kmin, dim.kmax + 1)]  # type: ignore[attr-defined]
    pos = np.clip(dim.encode(values)[:, 0], 0.0, 1.0)
    return np.maximum.accumulate(pos)


def _prior(space: Space, name: str, n: int) -> np.ndarray:
    """A categorical parameter's prior: its ``pvalues`` probabilities, else uniform."""
    probs = getattr(space[name], "probabilities", None)
    if probs is not None and len(probs) == n:
        p = np.asarray(probs, dtype=float)
        return p / p.sum()
    return np.full(n, 1.0 / n)


__all__ = ["MAX_BINNED_LEVELS", "Layout", "Points"]
