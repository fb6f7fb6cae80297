"""MLflow tracking: ``sweep.run(objective, ..., callbacks=[MLflowCallback(tracking_uri=...)])``.

The sweep is one MLflow run (tagged ``hypersweep.sweep``, found again when the sweep continues);
each finished trial becomes a run nested under it with its params, final metrics, the reported
values as the ``curve/METRIC`` history and its state (pruned trials end as KILLED).
"""
from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from mlflow.entities import Metric, Param, RunTag
from mlflow.tracking import MlflowClient
from mlflow.utils.mlflow_tags import MLFLOW_PARENT_RUN_ID, MLFLOW_RUN_NAME

from hypersweep.records import Trial, TrialState

SWEEP_TAG, ROLE_TAG = "hypersweep.sweep", "hypersweep.role"
_STATUS = {TrialState.COMPLETED: "FINISHED", TrialState.PRUNED: "KILLED", TrialState.FAILED: "FAILED"}


class MLflowCallback:
    """Logs every finished trial as an MLflow run nested under the sweep's run.

    Args:
        tracking_uri: where MLflow stores runs (``sqlite:///mlflow.db``,
            a server URL); None: MLflow's own default (``MLFLOW_TRACKING_URI``).
        experiment_name: the MLflow experiment; None: the sweep's name. Created when missing.
    """

    def __init__(self, tracking_uri: str | None = None, experiment_name: str | None = None) -> None:
        self.client = MlflowClient(tracking_uri)
        self.experiment_name = experiment_name
        self._parents: dict[str, str] = {}

    def __call__(self, sweep: Any, trial: Trial) -> None:
        parent = self.parent_run(sweep)
        experiment = self.client.get_run(parent).info.experiment_id
        run = self.client.create_run(
            experiment,
            start_time=_ms(trial.started_at or trial.created_at),
            tags={MLFLOW_PARENT_RUN_ID: parent, MLFLOW_RUN_NAME: f"{sweep.name}-trial-{trial.id}", SWEEP_TAG: sweep.name,
                  ROLE_TAG: "trial", "hypersweep.trial": str(trial.id), "hypersweep.state": trial.state.value},
        )
        finished = _ms(trial.finished_at)
        metrics = [Metric(name, float(value), finished, 0) for name, value in trial.metrics.items()]
        metrics += [Metric(f"curve/{sweep.metric.name}", r.value, _ms(r.time or trial.finished_at), r.step) for r in trial.reports]
        tags = [RunTag("hypersweep.error", trial.error[-4000:])] if trial.error else []
        self.client.log_batch(run.info.run_id, metrics=metrics, params=[Param(k, str(v)) for k, v in trial.params.items()], tags=tags)
        self.client.set_terminated(run.info.run_id, _STATUS[trial.state], end_time=finished)
        best = None if sweep.objectives.is_multi else sweep.best
        if best is not None and best.value is not None:
            self.client.log_metric(parent, f"best_{sweep.metric.name}", best.value, step=trial.id)

    def parent_run(self, sweep: Any) -> str:
        """The id of the sweep's run: found by its tag in the experiment, else created."""
        if sweep.name in self._parents:
            return self._parents[sweep.name]
        name = self.experiment_name or sweep.name
        found = self.client.get_experiment_by_name(name)
        experiment = found.experiment_id if found is not None else self.client.create_experiment(name)
        runs = self.client.search_runs(
            [experiment], filter_string=f"tags.`{SWEEP_TAG}` = '{sweep.name}' and tags.`{ROLE_TAG}` = 'sweep'", max_results=1
        )
        if runs:
            run_id = runs[0].info.run_id
        else:
            run_id = self.client.create_run(experiment, tags={MLFLOW_RUN_NAME: sweep.name, SWEEP_TAG: sweep.name, ROLE_TAG: "sweep"}).info.run_id
            spec = sweep.spec
            for key, value in {"algorithm": spec.algorithm, "metric": spec.metric.name, "direction": spec.metric.direction.value, "seed": spec.seed}.items():
                self.client.log_param(run_id, key, str(value))
        self._parents[sweep.name] = run_id
        return run_id


def _ms(moment: datetime | None) -> int:
    """A datetime as MLflow's milliseconds since the epoch (None: now)."""
    return int((moment.timestamp() if moment is not None else time.time()) * 1000)
