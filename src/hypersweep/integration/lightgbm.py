"""LightGBM pruning: ``LightGBMPruningCallback(trial, "valid_0-l2")`` in ``callbacks=[...]``.

Works with ``lightgbm.train(..., valid_sets=[dvalid], valid_names=["valid"])`` (monitor
``"valid-l2"``) and the scikit-learn API (``LGBMRegressor().fit(..., eval_set=[...], callbacks=[...])``).
"""
from __future__ import annotations

import lightgbm

from hypersweep.integration.pruning import PruningReporter, Reportable


class LightGBMPruningCallback:
    """Reports ``monitor`` (``"DATA-METRIC"``) each boosting round; ends boosting when pruned."""

    order = 30  # after LightGBM's own logging (10) and recording (20) callbacks
    before_iteration = False

    def __init__(self, trial: Reportable, monitor: str) -> None:
        self.reporter = PruningReporter(trial, monitor)

    def __call__(self, env: lightgbm.callback.CallbackEnv) -> None:
        logged = {f"{entry[0]}-{entry[1]}": entry[2] for entry in env.evaluation_result_list or []}
        if self.reporter.monitor not in logged:
            raise self.reporter.missing(logged)
        if self.reporter.report(env.iteration, float(logged[self.reporter.monitor])):
            raise lightgbm.callback.EarlyStopException(env.iteration, env.evaluation_result_list)
