"""What a trial process uses to talk to its runner: ``hypersweep.report`` and the env contract.

A shell-command trial runs with these environment variables:
``HYPERSWEEP_SWEEP``, ``HYPERSWEEP_TRIAL_ID``, ``HYPERSWEEP_STORAGE``, ``HYPERSWEEP_RUN_DIR``,
``HYPERSWEEP_PARAMS_FILE`` (JSON of the params), ``HYPERSWEEP_METRICS_FILE``, one
``HYPERSWEEP_PARAM_<NAME>`` per parameter and, for a promoted trial that resumes its parent
(multi-fidelity ``resume: true``), ``HYPERSWEEP_PARENT_RUN_DIR`` with the parent's checkpoints. ``report`` appends a JSON line to the metrics file;
printing ``hypersweep.metric {"step": 3, "loss": 0.41}`` on stdout does the same.
"""
from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from hypersweep.exceptions import HypersweepError
from hypersweep.records import is_finite_number

METRIC_PREFIX = "hypersweep.metric "
ENV_SWEEP = "HYPERSWEEP_SWEEP"
ENV_TRIAL = "HYPERSWEEP_TRIAL_ID"
ENV_STORAGE = "HYPERSWEEP_STORAGE"
ENV_RUN_DIR = "HYPERSWEEP_RUN_DIR"
ENV_PARENT_RUN_DIR = "HYPERSWEEP_PARENT_RUN_DIR"
ENV_PARAMS_FILE = "HYPERSWEEP_PARAMS_FILE"
ENV_METRICS_FILE = "HYPERSWEEP_METRICS_FILE"
ENV_PARAM_PREFIX = "HYPERSWEEP_PARAM_"


def report(metrics: Mapping[str, float] | None = None, *, step: int | None = None, **values: float) -> None:
    """Report metrics of the current trial from inside a shell-command trial.

    ``hypersweep.report(loss=0.41, step=3)`` is an intermediate value at step 3;
    ``hypersweep.report(loss=0.38)`` (no step) is a final one. The last value of the sweep's
    metric reported before the command exits 0 is the trial's result.

    Raises:
        HypersweepError: not inside a trial started by hypersweep, or values not finite numbers.
    """
    path = os.environ.get(ENV_METRICS_FILE)
    if not path:
        raise HypersweepError(
            f"hypersweep.report: {ENV_METRICS_FILE} is not set; call it inside a trial started by "
            "`hypersweep run sweep.yaml`, or use trial.report(step, value) in a Python objective"
        )
    record = metric_record(dict(metrics or {}, **values), step)
    with open(path, "a", encoding="utf-8") as file:
        file.write(json.dumps(record) + "\n")
        file.flush()


def metric_record(values: Mapping[str, Any], step: Any = None) -> dict[str, Any]:
    """Check a report: finite numbers by metric name, and an optional integer step >= 0."""
    if not values:
        raise HypersweepError("hypersweep.report: give at least one metric, e.g. report(loss=0.4)")
    record: dict[str, Any] = {}
    if step is not None:
        if isinstance(step, bool) or not isinstance(step, int) or step < 0:
            raise HypersweepError(f"hypersweep.report: step must be an integer >= 0; got {step!r}")
        record["step"] = step
    for name, value in values.items():
        if not is_finite_number(value):
            raise HypersweepError(f"hypersweep.report: {name} must be a finite number; got {value!r}")
        record[str(name)] = float(value)
    return record


def parse_metric_line(line: str) -> dict[str, Any] | None:
    """The record of a ``hypersweep.metric {...}`` line; None for any other or malformed line."""
    if not line.startswith(METRIC_PREFIX):
        return None
    try:
        data = json.loads(line[len(METRIC_PREFIX):])
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    step = data.pop("step", None)
    try:
        return metric_record(data, step)
    except HypersweepError:
        return None
