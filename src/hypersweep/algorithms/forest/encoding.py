"""The forest's view of a space: unit-encoded rows, snapped to legal points, and their neighbours.

Rows live in the space's unit encoding (``space.columns``, shape ``(n, D)``): continuous
columns as they are, numeric discrete levels as ordered bins (``ordinal``), quantized kinds
as positions snapped to their multiples (``integer``) and categoricals one-hot. Every row the
acquisition search looks at is *snapped* first, so a row is exactly the encoding of one legal
params dict and equal rows mean equal params.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hypersweep.space import Space

#: an ``integer`` (quantized) column with more levels than this gets Gaussian steps like a continuous one
_MANY_LEVELS = 50
#: standard deviation of a continuous neighbour step in unit space (SMAC's default)
STEP_SD = 0.2


@dataclass(frozen=True)
class _Param:
    """One parameter's columns and how to move along them."""

    name: str
    start: int
    stop: int
    kind: str  # continuous | integer | ordinal | onehot
    n_levels: int | None


class UnitEncoding:
    """Snapping, uniform sampling and one-exchange neighbourhoods in the unit encoding.

    Args:
        space: the search space; its columns define the encoding.
    """

    def __init__(self, space: Space) -> None:
        self.space = space
        self.width = space.n_columns
        params: list[_Param] = []
        for name in space.names:
            sl = space.column_slice(name)
            col = space.columns[sl.start]
            params.append(_Param(name, sl.start, sl.stop, col.kind, col.n_levels))
        self.params = params
        self._quantized = [p for p in params if p.kind == "integer"]
        fine = [p for p in params if p.kind == "continuous" or (p.kind == "integer" and (p.n_levels or 0) > _MANY_LEVELS)]
        self._gaussian = np.array([p.start for p in fine], dtype=np.int64)
        self._stepped = [p for p in params if p.kind in ("ordinal", "integer") and p not in fine]
        self._onehot = [p for p in params if p.kind == "onehot"]

    # -- legal rows ---------------------------------------------------------------------------
    def snap(self, x: np.ndarray) -> np.ndarray:
        """Rows of shape ``(n, D)`` -> the encodings of the legal points they decode to."""
        out = np.clip(np.asarray(x, dtype=float), 0.0, 1.0)
        for p in self.params:
            if p.kind == "ordinal":
                n = int(p.n_levels or 1)
                rank = np.clip(np.floor(out[:, p.start] * n), 0, n - 1)
                out[:, p.start] = (rank + 0.5) / n
            elif p.kind == "onehot":
                block = out[:, p.start:p.stop]
                hot = np.argmax(block, axis=1)
                block[:] = 0.0
                block[np.arange(len(out)), hot] = 1.0
        for p in self._quantized:
            dim = self.space[p.name]
            out[:, p.start:p.stop] = dim.encode(dim.decode(out[:, p.start:p.stop]))
        if self.space.is_structured:  # inactive parameters at their dedicated encoding, rules kept
            out = self.space.canonical_unit(out)
        return out

    def encode(self, params_list: list[dict]) -> np.ndarray:
        """Legal params dicts -> rows of shape ``(n, D)``."""
        return self.space.to_unit_many(params_list)

    def decode(self, row: np.ndarray) -> dict:
        """One snapped row -> its params dict."""
        return self.space.from_unit(row)

    def uniform(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` snapped rows drawn uniformly in the unit encoding (categoricals uniformly)."""
        return self.snap(rng.random((n, self.width)))

    def sobol(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """The first ``n`` points of a scrambled Sobol sequence, snapped."""
        from scipy.stats import qmc

        m = max(1, int(np.ceil(np.log2(max(n, 1)))))
        sampler = qmc.Sobol(d=self.width, scramble=True, rng=rng)
        return self.snap(sampler.random_base2(m)[:n])

    # -- neighbourhoods -----------------------------------------------------------------------
    def neighbours(self, rows: np.ndarray, rng: np.random.Generator, n_continuous: int = 2) -> tuple[np.ndarray, np.ndarray]:
        """One-exchange neighbours of every row: each changes one parameter.

        Continuous (and finely quantized) parameters move by Gaussian steps of sd
        :data:`STEP_SD`, ordinal and coarsely quantized ones one level up and down, a
        categorical switches to each other level.

        Returns:
            ``(neighbours, origin)``: snapped rows of shape ``(m, D)`` and, for each, the index
            of the row it came from, shape ``(m,)``.
        """
        n = len(rows)
        index = np.arange(n)
        blocks: list[np.ndarray] = []
        if self._gaussian.size:
            cols = np.repeat(self._gaussian, n_continuous)
            moved = np.broadcast_to(rows, (len(cols), n, self.width)).copy()
            moved[np.arange(len(cols))[:, None], index[None, :], cols[:, None]] += rng.normal(
                0.0, STEP_SD, (len(cols), n)
            )
            blocks.append(moved.reshape(-1, self.width))
        for p in self._stepped:
            step = 1.0 / max(int(p.n_levels or 1), 1)
            for sign in (-1.0, 1.0):
                moved = rows.copy()
                moved[:, p.start] += sign * step
                blocks.append(moved)
        for p in self._onehot:  # every other level
            width = p.stop - p.start
            current = np.argmax(rows[:, p.start:p.stop], axis=1)
            for shift in range(1, width):
                moved = rows.copy()
                moved[:, p.start:p.stop] = 0.0
                moved[index, p.start + (current + shift) % width] = 1.0
                blocks.append(moved)
        if not blocks or n == 0:
            return np.empty((0, self.width)), np.empty(0, dtype=np.int64)
        out = np.concatenate(blocks)
        return self.snap(out), np.tile(index, len(out) // n)


def row_keys(rows: np.ndarray) -> list[bytes]:
    """Hashable identities of snapped rows (continuous coordinates to 1e-9)."""
    rounded = np.round(np.asarray(rows, dtype=float), 9) + 0.0  # + 0.0 turns -0.0 into 0.0
    return [r.tobytes() for r in rounded]
