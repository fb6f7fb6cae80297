"""What the dashboard reads from a store, as JSON-ready dicts (compact: big sweeps go by the wire)."""
from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from hypersweep.records import SweepSummary, Trial, TrialState
from hypersweep.storage import Storage

STOP_ATTR = "stop"  # the sweep attribute `hypersweep stop` sets (runner.control.STOP_ATTR)
LOG_TAIL = 8 * 1024  # bytes of each log file shown
MAX_CURVES = 150  # learning curves the sweep page draws (the latest trials')


def stamp(value: datetime | None) -> float | None:
    """Seconds since the epoch, to the millisecond."""
    return None if value is None else round(value.timestamp(), 3)


def number(value: Any) -> Any:
    """A finite number as is; NaN and infinities (never stored, but safe) as None."""
    return value if not isinstance(value, float) or math.isfinite(value) else None


def status(summary: SweepSummary, stopped: bool) -> str:
    """``stopped`` (stop flag set), ``running``, ``queued`` (waiting trials), ``finished`` or ``empty``."""
    if stopped:
        return "stopped"
    if summary.counts.get(TrialState.RUNNING, 0):
        return "running"
    if summary.counts.get(TrialState.WAITING, 0):
        return "queued"
    return "finished" if summary.n_trials else "empty"


def sweep_rows(store: Storage) -> list[dict[str, Any]]:
    """The sweeps page: one row per sweep."""
    rows = []
    for summary in store.list_sweeps():
        stopped = bool(store.get_sweep_attrs(summary.name).get(STOP_ATTR))
        rows.append({
            "name": summary.name,
            "algorithm": summary.algorithm,
            "metric": summary.metric.name,
            "direction": summary.metric.direction.value,
            "status": status(summary, stopped),
            "counts": {state.value: summary.counts.get(state, 0) for state in TrialState},
            "best": number(summary.best_value),
            "created": stamp(summary.created_at),
            "updated": stamp(summary.updated_at),
        })
    return rows


def sweep_info(store: Storage, name: str) -> dict[str, Any]:
    """A sweep's definition and status (no credentials: the store's URL comes masked)."""
    spec = store.get_sweep(name)
    summary = next(s for s in store.list_sweeps() if s.name == name)
    attrs = store.get_sweep_attrs(name)
    return {
        "name": spec.name,
        "algorithm": spec.algorithm,
        "metric": spec.metric.name,
        "direction": spec.metric.direction.value,
        "space": spec.space,
        "params": spec.param_names,
        "options": spec.options,
        "pruner": spec.pruner,
        "seed": spec.seed,
        "status": status(summary, bool(attrs.get(STOP_ATTR))),
        "stop": attrs.get(STOP_ATTR),
        "note": store.get_note(name),
        "storage": masked(store),
    }


def masked(store: Storage) -> str:
    """The store's location with any password hidden (``SQLStorage.url`` masks it)."""
    url = getattr(store, "url", None)
    return url if isinstance(url, str) else type(store).__name__


def compact(trial: Trial, names: list[str]) -> dict[str, Any]:
    """A trial for plots: id, state, value, params (in ``names`` order), times, worker, meta, reports."""
    return {
        "i": trial.id,
        "s": trial.state.value,
        "v": number(trial.value),
        "p": [trial.params.get(n) for n in names],
        "t0": stamp(trial.started_at or trial.created_at),
        "t1": stamp(trial.finished_at),
        "w": trial.worker,
        "m": dict(trial.meta) or None,
        "r": [[r.step, number(r.value)] for r in trial.reports] or None,
    }


def changes(store: Storage, name: str, after: int, limit: int, with_reports: bool) -> dict[str, Any]:
    """Trials changed since cursor ``after``, compact, with the next cursor."""
    names = store.get_sweep(name).param_names
    batch = store.get_trials_changed(name, after=after, limit=limit, with_reports=with_reports)
    return {"cursor": batch.cursor, "more": batch.more, "names": names,
            "trials": [compact(t, names) for t in batch.trials]}


def curves(store: Storage, name: str, ids: Sequence[int]) -> dict[str, Any]:
    """The reports of the trials ``ids`` (the learning curves shown)."""
    return {str(t.id): [[r.step, number(r.value)] for r in t.reports] for t in store.get_trials(name, ids=ids) if t.reports}


def row(trial: Trial) -> dict[str, Any]:
    """A trial-table row."""
    return {
        "id": trial.id, "state": trial.state.value, "value": number(trial.value), "params": trial.params,
        "started": stamp(trial.started_at), "finished": stamp(trial.finished_at),
        "duration": trial.duration, "worker": trial.worker,
    }


def detail(trial: Trial, run_dir: Path | None) -> dict[str, Any]:
    """Everything about one trial, with the tails of its logs when its folder is readable."""
    return {
        **row(trial),
        "metrics": {k: number(v) for k, v in trial.metrics.items()},
        "reports": [[r.step, number(r.value)] for r in trial.reports],
        "meta": dict(trial.meta),
        "error": trial.error,
        "created": stamp(trial.created_at),
        "heartbeat": stamp(trial.heartbeat_at),
        "run_dir": str(run_dir) if run_dir is not None else None,
        "logs": {log: tail(run_dir / log) for log in ("stdout.log", "stderr.log")} if run_dir else {},
    }


def tail(path: Path) -> str | None:
    """The last ``LOG_TAIL`` bytes of a log file, or None when it is missing."""
    try:
        with path.open("rb") as handle:
            handle.seek(max(0, path.stat().st_size - LOG_TAIL))
            return handle.read().decode("utf-8", errors="replace")
    except OSError:
        return None
