"""XGBoost pruning: ``XGBoostPruningCallback(trial, "validation_0-logloss")`` in ``callbacks=[...]``.

Works with ``xgboost.train(..., evals=[(dvalid, "valid")])`` (monitor ``"valid-logloss"``) and the
scikit-learn API (``XGBClassifier(callbacks=[...]).fit(..., eval_set=[...])``: ``"validation_0-..."``).
"""
from __future__ import annotations

from typing import Any

import xgboost

from hypersweep.integration.pruning import PruningReporter, Reportable


class XGBoostPruningCallback(xgboost.callback.TrainingCallback):
    """Reports ``monitor`` (``"DATA-METRIC"``) each boosting round; stops boosting when pruned."""

    def __init__(self, trial: Reportable, monitor: str) -> None:
        super().__init__()
        self.reporter = PruningReporter(trial, monitor)

    def after_iteration(self, model: Any, epoch: int, evals_log: dict[str, dict[str, list[Any]]]) -> bool:
        logged = {f"{data}-{metric}": values for data, metrics in evals_log.items() for metric, values in metrics.items()}
        if self.reporter.monitor not in logged:
            raise self.reporter.missing(logged)
        latest = logged[self.reporter.monitor][-1]
        value = latest[0] if isinstance(latest, tuple) else latest  # xgboost.cv logs (mean, std)
        return self.reporter.report(epoch, float(value))
