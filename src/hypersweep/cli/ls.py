"""`hypersweep ls`: the sweeps in a store with their status, trial counts and best values."""
from __future__ import annotations

import json
from typing import Any

import click

from hypersweep.best import pareto_front
from hypersweep.cli.common import one_line_errors, open_store, render_table, storage_option
from hypersweep.cli.status import sweep_status
from hypersweep.records import TrialState
from hypersweep.storage import Storage
from hypersweep.storage.urls import mask_password

_COUNTED = (TrialState.COMPLETED, TrialState.RUNNING, TrialState.WAITING, TrialState.FAILED, TrialState.PRUNED)


@click.command("ls")
@storage_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, one object per sweep.")
@one_line_errors
def ls_command(storage: str, as_json: bool) -> None:
    """List sweeps with their status (running, stopped, finished, idle) and budget."""
    store = open_store(storage)
    records = sweep_records(store)
    if as_json:
        click.echo(json.dumps(records, indent=2))
        return
    if not records:
        click.echo(f"no sweeps in {mask_password(storage)}")
        return
    headers = ["name", "status", "algorithm", "metric", "trials", "budget", *(s.value for s in _COUNTED), "best"]
    rows = [
        [r["name"], r["status"], r["algorithm"], ", ".join(f"{m['name']} ({m['optimization']})" for m in r["metrics"]),
         r["trials"], r["budget"], *(r[s.value] for s in _COUNTED),
         r["best"] if r["front_size"] is None else f"front of {r['front_size']}"]
        for r in records
    ]
    click.echo(render_table(headers, rows))


def sweep_records(store: Storage) -> list[dict[str, Any]]:
    """One JSON-ready dict per sweep: name, status, algorithm, metric, budget, counts per state, best
    (a multi-objective sweep: ``best`` None and ``front_size``, the size of its Pareto front)."""
    records = []
    for s in store.list_sweeps():
        spec = store.get_sweep(s.name)
        status = sweep_status(store, spec, s.counts)
        multi = spec.objectives.is_multi
        front = pareto_front(store.get_trials(s.name, states=[TrialState.COMPLETED], with_reports=False),
                             spec.objectives) if multi else None
        records.append({
            "name": s.name,
            "status": status.state,
            "algorithm": s.algorithm,
            "metric": s.metric.name,
            "direction": s.metric.direction.value,
            "metrics": [m.spec() for m in spec.metrics],
            "constraints": [c.spec() for c in spec.constraints],
            "trials": s.n_trials,
            "budget": status.budget,
            **{state.value: s.counts.get(state, 0) for state in _COUNTED},
            "best": None if multi else s.best_value,
            "front_size": None if front is None else len(front),
        })
    return records
