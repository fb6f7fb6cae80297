"""The forest's training set: completed trials as arrays, sorted by id, grown without copying all.

Trials usually finish in id order, so new rows are appended; a trial that finishes out of
order triggers one rebuild. Leaf indices of the rows (per forest) are cached the same way, so
an ask only drops the rows that are new since the last one down the trees.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

WeightFn = Callable[[Sequence[int]], np.ndarray]


class TrainingSet:
    """Rows ``X`` ``(n, D)``, losses ``(n,)``, ids ``(n,)`` and bootstrap weights ``(T, n)``.

    Args:
        width: the encoding width D.
        weights: trial ids -> their bootstrap weights, shape ``(T, len(ids))``.
    """

    def __init__(self, width: int, weights: WeightFn) -> None:
        self._width = width
        self._weights_for = weights
        self._pending: dict[int, tuple[np.ndarray, float]] = {}
        self._rows: dict[int, tuple[np.ndarray, float]] = {}
        self.ids = np.empty(0, dtype=np.int64)
        self.X = np.empty((0, width))
        self.loss = np.empty(0)
        self.weights: np.ndarray | None = None
        self._leaf_owner: object = None
        self._leaves: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self._rows) + len(self._pending)

    def add(self, trial_id: int, row: np.ndarray, loss: float) -> None:
        """Queue one completed trial (merged at the next :meth:`refresh`)."""
        if trial_id not in self._rows and trial_id not in self._pending:
            self._pending[trial_id] = (row, loss)

    def refresh(self) -> None:
        """Merge queued trials: append when they all come after the last id, else rebuild."""
        if not self._pending:
            return
        new_ids = sorted(self._pending)
        last = int(self.ids[-1]) if len(self.ids) else -(1 << 62)
        self._rows.update(self._pending)
        self._pending = {}
        if new_ids[0] > last:
            self.ids = np.concatenate([self.ids, np.asarray(new_ids, dtype=np.int64)])
            self.X = np.vstack([self.X, np.array([self._rows[i][0] for i in new_ids]).reshape(-1, self._width)])
            self.loss = np.concatenate([self.loss, [self._rows[i][1] for i in new_ids]])
            fresh = self._weights_for(new_ids)
            self.weights = fresh if self.weights is None else np.hstack([self.weights, fresh])
            return
        ids = sorted(self._rows)
        self.ids = np.asarray(ids, dtype=np.int64)
        self.X = np.array([self._rows[i][0] for i in ids]).reshape(-1, self._width)
        self.loss = np.array([self._rows[i][1] for i in ids])
        self.weights = self._weights_for(ids)
        self._leaves = None

    def leaves(self, owner: object, apply: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
        """Leaf indices ``(T, n)`` of every row under the forest ``owner`` (only new rows are applied)."""
        if self._leaf_owner is not owner or self._leaves is None:
            self._leaf_owner, self._leaves = owner, apply(self.X)
        elif self._leaves.shape[1] < len(self.ids):
            self._leaves = np.hstack([self._leaves, apply(self.X[self._leaves.shape[1]:])])
        return self._leaves
