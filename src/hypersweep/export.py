"""Trials as plain records, CSV rows and DataFrames (for export, show and analysis)."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from hypersweep.records import Trial

if TYPE_CHECKING:
    import pandas


def trial_to_record(trial: Trial, front: Collection[int] | None = None) -> dict[str, Any]:
    """A JSON-ready dict: id, state, params, value, metrics, feasibility, error, times, reports,
    and the original of a copied trial (its duration is the original's); with ``front`` (the ids
    of a multi-objective sweep's Pareto front), ``pareto_optimal`` too."""
    return {
        "id": trial.id,
        "state": trial.state.value,
        "params": dict(trial.params),
        "value": trial.value,
        "metrics": dict(trial.metrics),
        "feasible": trial.feasible,
        **({} if front is None else {"pareto_optimal": trial.id in front}),
        "error": trial.error,
        "created_at": _iso(trial.created_at),
        "started_at": _iso(trial.started_at),
        "finished_at": _iso(trial.finished_at),
        "duration": trial.run_seconds,
        "copied_from": None if trial.copied_from is None else dict(trial.copied_from),
        "reports": [{"step": r.step, "value": r.value} for r in trial.reports],
    }


def trials_to_json(trials: Sequence[Trial], front: Collection[int] | None = None) -> str:
    """A JSON list of trial records (``front``: see ``trial_to_record``)."""
    return json.dumps([trial_to_record(t, front) for t in trials], indent=2)


def trial_to_row(trial: Trial, front: Collection[int] | None = None) -> dict[str, Any]:
    """A flat row: params as ``params.NAME`` and metrics as ``metrics.NAME`` columns, ``feasible``
    and, with ``front``, ``pareto_optimal``."""
    row: dict[str, Any] = {"id": trial.id, "state": trial.state.value, "value": trial.value}
    row.update({f"params.{k}": v for k, v in trial.params.items()})
    row.update({f"metrics.{k}": v for k, v in trial.metrics.items()})
    row["feasible"] = trial.feasible
    if front is not None:
        row["pareto_optimal"] = trial.id in front
    source = trial.copied_from
    row.update(
        {
            "duration": trial.run_seconds,
            "copied_from": None if source is None else f"{source['sweep']}#{source['trial']}",
            "started_at": _iso(trial.started_at),
            "finished_at": _iso(trial.finished_at),
            "error": trial.error,
        }
    )
    return row


def trials_to_csv(trials: Sequence[Trial], front: Collection[int] | None = None) -> str:
    """CSV text with one row per trial; the header is the union of all rows' columns (a
    parameter a trial does not have, being inactive, is an empty cell)."""
    rows = [trial_to_row(t, front) for t in trials]
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    # params next to each other even when a conditional one first appears in a later trial
    columns = dict.fromkeys(sorted(columns, key=lambda c: (0 if c in ("id", "state", "value") else 1 if c.startswith("params.")
                                                           else 2 if c.startswith("metrics.") else 3)))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def trials_to_dataframe(trials: Sequence[Trial]) -> "pandas.DataFrame":
    """A pandas DataFrame of ``trial_to_row`` rows (pandas is an optional dependency)."""
    try:
        import pandas as pd
    except ImportError:
        from hypersweep.exceptions import HypersweepError

        raise HypersweepError("to_dataframe needs pandas: pip install 'hypersweep[pandas]'") from None
    return pd.DataFrame([trial_to_row(t) for t in trials])


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
