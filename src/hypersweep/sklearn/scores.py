"""Read one candidate's scores out of the ``cv_results_`` dict scikit-learn builds."""
from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from hypersweep.outcome import Failed

_TEST, _TRAIN = "mean_test_", "mean_train_"


def optimized_metric(scoring: Any, refit: Any) -> str:
    """The score the sweep maximizes: the ``refit`` metric, else the first of several, else ``score``."""
    if isinstance(refit, str):
        return refit
    if isinstance(scoring, Mapping) and scoring:
        return str(next(iter(scoring)))
    if isinstance(scoring, (list, tuple, set)) and scoring:
        return str(sorted(scoring)[0] if isinstance(scoring, set) else scoring[0])
    return "score"


def candidate_result(results: Mapping[str, Any], index: int, metric: str) -> dict[str, float] | Failed:
    """Candidate ``index``'s mean test scores by metric name (train ones as ``train_NAME``), or why it failed.

    A single-metric search names its score ``score``; the ``metric`` one decides the outcome.
    """
    scores: dict[str, float] = {}
    for key, column in results.items():
        if key.startswith(_TEST):
            scores[key[len(_TEST):]] = float(column[index])
        elif key.startswith(_TRAIN):
            scores["train_" + key[len(_TRAIN):]] = float(column[index])
    value = scores.get(metric)
    if value is None:
        return Failed(f"cv_results_ has no mean_test_{metric}; name a scorer of `scoring` as `refit`")
    if not math.isfinite(value):
        return Failed(f"mean_test_{metric} is {value}: a fit or score failed (see error_score and the warnings)")
    return scores
