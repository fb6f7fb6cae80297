"""benchmarks.generative_transfer: the warm-started `bo` baseline."""
from __future__ import annotations

import numpy as np

from benchmarks.generative_transfer import WarmStarted


def test_warm_start_suggests_the_past_bests_first_then_bo() -> None:
    first = np.array([[0.1, 0.2], [0.3, 0.4]])
    method = WarmStarted(first, seed=0)
    X = np.random.default_rng(0).random((5, 2))
    y = X.sum(axis=1, keepdims=True)
    picks = []
    for _ in range(3):
        x = method.observe_and_suggest(X, y)
        picks.append(x[0].tolist())
        X, y = np.vstack([X, x]), np.vstack([y, x.sum(axis=1, keepdims=True)])
    assert picks[:2] == first.tolist()
    assert picks[2] not in first.tolist() and all(0.0 <= v <= 1.0 for v in picks[2])
