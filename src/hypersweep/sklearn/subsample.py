"""A cross-validator that trains on a random fraction of each training fold (the ``n_samples`` budget)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np


class SubsampleCV:
    """``base_cv``'s splits with each training fold cut to ``fraction`` of its rows (test folds whole,
    so scores at every budget are measured on the same data). The same ``seed`` gives the same rows."""

    def __init__(self, base_cv: Any, fraction: float, seed: int) -> None:
        self.base_cv = base_cv
        self.fraction = fraction
        self.seed = seed

    def split(self, X: Any, y: Any = None, groups: Any = None, **params: Any) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for k, (train, test) in enumerate(self.base_cv.split(X, y, groups, **params)):
            size = min(len(train), max(1, int(round(self.fraction * len(train)))))
            kept = np.random.default_rng([self.seed, k]).choice(train, size=size, replace=False)
            yield np.sort(kept), test

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None, **params: Any) -> int:
        return self.base_cv.get_n_splits(X, y, groups, **params)
