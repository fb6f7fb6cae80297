"""SMAC-style random forest surrogate: mean and variance of the per-tree predictions.

Each tree is a scikit-learn ``DecisionTreeRegressor`` (by default SMAC3's HPO facade: every
feature considered per split, 2 samples to split, 1 per leaf) grown on a bootstrap sample.
The bootstrap is *online* (Oza & Russell): every row carries one Poisson(1) weight per tree,
drawn from the seed and the row's trial id, so a row weighs the same in a tree whenever and
in whatever order it arrives.

Growing trees is the expensive part, so it is split from the leaf values:

* :meth:`ForestModel.grow` fits the tree *structures* (split features and thresholds) on
  some rows;
* :meth:`ForestModel.set_data` drops any rows (those the trees were grown on, newer ones,
  pending ones with a lie) down the trees and recomputes every leaf's weighted mean.

The prediction of a tree is its leaf's mean; the forest predicts the mean over trees and
the variance over trees (shapes ``(n,)``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: variance floor, so EI never divides by zero
MIN_VARIANCE = 1e-12


@dataclass(frozen=True)
class ForestSettings:
    """How the trees are grown (SMAC3's HPO-facade defaults, depth capped for speed)."""

    n_trees: int = 10
    max_features: float = 1.0
    min_samples_split: int = 2
    min_samples_leaf: int = 1
    max_depth: int | None = 12
    bootstrap: bool = True


def bootstrap_weights(seed: int, ids: np.ndarray, n_trees: int, bootstrap: bool) -> np.ndarray:
    """Poisson(1) weights of shape ``(n_trees, len(ids))``, one column per trial id (all 1 without bootstrap)."""
    if not bootstrap:
        return np.ones((n_trees, len(ids)))
    out = np.empty((n_trees, len(ids)))
    for j, trial_id in enumerate(ids.tolist()):
        rng = np.random.default_rng(np.random.SeedSequence([seed, 7919, int(trial_id) & 0xFFFFFFFF]))
        out[:, j] = rng.poisson(1.0, n_trees)
    return out


class ForestModel:
    """A random forest over unit-encoded rows of shape ``(n, D)``.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> X, y = rng.random((30, 2)), rng.random(30)
        >>> w = bootstrap_weights(0, np.arange(30), 10, True)
        >>> model = ForestModel(ForestSettings())
        >>> model.grow(X, y, w, seed=0)
        >>> model.set_data(X, y, w)
        >>> mean, var = model.predict(X[:3])
        >>> mean.shape, var.shape
        ((3,), (3,))
    """

    def __init__(self, settings: ForestSettings) -> None:
        self.settings = settings
        self._trees: list = []
        self._leaf_values: list[np.ndarray] = []

    @property
    def n_trees(self) -> int:
        return len(self._trees)

    def grow(self, X: np.ndarray, y: np.ndarray, weights: np.ndarray, *, seed: int) -> None:
        """Fit the tree structures on rows ``X`` ``(n, D)``, targets ``y`` ``(n,)`` and per-tree weights ``(T, n)``."""
        from sklearn.tree import DecisionTreeRegressor

        s = self.settings
        states = np.random.SeedSequence([seed, 104729]).generate_state(s.n_trees)
        trees = []
        for t in range(s.n_trees):
            w = weights[t]
            keep = w > 0
            if keep.sum() < 2:  # a degenerate bootstrap: grow on every row instead
                keep = np.ones_like(keep)
                w = np.ones_like(w)
            tree = DecisionTreeRegressor(
                max_features=s.max_features,
                min_samples_split=s.min_samples_split,
                min_samples_leaf=s.min_samples_leaf,
                max_depth=s.max_depth,
                random_state=int(states[t]),
            )
            tree.fit(X[keep], y[keep], sample_weight=w[keep])
            trees.append(tree.tree_)
        self._trees = trees
        self._leaf_values = [tree.value.reshape(-1).copy() for tree in trees]

    def apply(self, X: np.ndarray) -> np.ndarray:
        """The leaf every row reaches in every tree, shape ``(T, n)``."""
        X32 = np.ascontiguousarray(X, dtype=np.float32)
        out = np.empty((len(self._trees), len(X32)), dtype=np.int64)
        for t, tree in enumerate(self._trees):
            out[t] = tree.apply(X32)
        return out

    def set_data(self, X: np.ndarray, y: np.ndarray, weights: np.ndarray, leaves: np.ndarray | None = None) -> None:
        """Recompute every leaf's value as the weighted mean of the rows that fall into it.

        ``leaves`` (from :meth:`apply`, shape ``(T, n)``) may be passed to skip that step.
        A leaf no row with a positive weight reaches keeps the value it was grown with.
        """
        if leaves is None:
            leaves = self.apply(X)
        values: list[np.ndarray] = []
        for t, tree in enumerate(self._trees):
            w = weights[t]
            total = np.bincount(leaves[t], weights=w, minlength=tree.node_count)
            sums = np.bincount(leaves[t], weights=w * y, minlength=tree.node_count)
            grown = tree.value.reshape(-1)
            with np.errstate(invalid="ignore", divide="ignore"):
                values.append(np.where(total > 0, sums / np.where(total > 0, total, 1.0), grown))
        self._leaf_values = values

    def predict_trees(self, X: np.ndarray) -> np.ndarray:
        """Per-tree predictions, shape ``(T, n)``."""
        X32 = np.ascontiguousarray(X, dtype=np.float32)
        out = np.empty((len(self._trees), len(X32)))
        for t, tree in enumerate(self._trees):
            out[t] = self._leaf_values[t][tree.apply(X32)]
        return out

    def predict(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mean and variance across trees, each of shape ``(n,)``."""
        per_tree = self.predict_trees(X)
        return per_tree.mean(axis=0), np.maximum(per_tree.var(axis=0), MIN_VARIANCE)
