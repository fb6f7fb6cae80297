"""`hypersweep show NAME`: a sweep's definition, its trials table and its best trial."""
from __future__ import annotations

import json
from collections import Counter
from typing import Any

import click

from hypersweep.api import best_trial, pareto_front
from hypersweep.cli.common import format_value, one_line_errors, open_store, render_table, storage_option
from hypersweep.cli.status import SweepStatus, sweep_status
from hypersweep.export import trial_to_record
from hypersweep.records import SweepSpec, Trial
from hypersweep.runner.run_dirs import runs_root_for, trial_dir
from hypersweep.storage import Storage
from hypersweep.viz import front_table


_SCHEDULE_COLUMNS = ("bracket", "rung", "parent")


@click.command("show")
@click.argument("name")
@storage_option
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show only the last N trials.")
@click.option("--trial", "trial_id", type=click.IntRange(min=0), default=None,
              help="Show one trial in full: params, metrics, error, reports and its output files.")
@click.option("--json", "as_json", is_flag=True, help="Print the sweep (or the trial) as one JSON object.")
@one_line_errors
def show_command(name: str, storage: str, limit: int | None, trial_id: int | None, as_json: bool) -> None:
    """Show the status and trials of sweep NAME."""
    store = open_store(storage)
    spec = store.get_sweep(name)
    if trial_id is not None:
        if as_json:
            click.echo(json.dumps(trial_to_record(store.get_trial(name, trial_id)), indent=2))
        else:
            _show_trial(store, name, trial_id)
        return
    with_reports = as_json
    trials = store.get_trials(name, with_reports=with_reports)
    shown = trials[-limit:] if limit else trials
    status = sweep_status(store, spec, Counter(t.state for t in trials))
    objectives = spec.objectives
    best = None if objectives.is_multi else best_trial(trials, spec.metric)
    front = pareto_front(trials, objectives) if objectives.is_multi else None
    if as_json:
        click.echo(json.dumps(_sweep_record(spec, status, best, front, shown), indent=2))
        return
    budget = "" if status.budget is None else f" of {status.budget}"
    goals = ", ".join(f"{m.direction.value} {m.name}" for m in objectives.metrics)
    limits = "".join(f", subject to {c}" for c in objectives.constraints)
    click.echo(f"sweep {spec.name}: {status.state}, algorithm {spec.algorithm}, seed {spec.seed}, "
               f"{goals}{limits}, {len(trials)}{budget} trials")
    names = spec.param_names
    schedule = [k for k in _SCHEDULE_COLUMNS if any(k in t.meta for t in shown)]  # multi-fidelity sweeps
    resource = [k for k in {*(k for t in shown for k in t.params)} - set(names)]
    copies = any(t.copied_from for t in shown)
    metric_names = [m.name for m in objectives.metrics]
    feasibility = ["feasible"] if objectives.constraints else []
    rows = [
        [t.id, t.state.value, t.value, *(t.metrics.get(m) for m in metric_names[1:]),
         *([t.feasible] if feasibility else []), *(t.params.get(p) for p in names + sorted(resource)),
         *(t.meta.get(k) for k in schedule), t.run_seconds, *([_copy_label(t)] if copies else [])]
        for t in shown
    ]
    headers = ["id", "state", *metric_names, *feasibility, *names, *sorted(resource), *schedule, "seconds"]
    click.echo(render_table([*headers, *(["copy of"] if copies else [])], rows))
    if front is not None:
        _show_front(trials, spec)
    elif best is None:
        click.echo("best: no completed trial yet")
    else:
        click.echo(f"best: trial {best.id} {spec.metric.name}={format_value(best.value)} params={best.params}")


def _show_front(trials: list[Trial], spec: SweepSpec) -> None:
    """The Pareto front, one line per trial, and its hypervolume."""
    objectives = spec.objectives
    front, volume = front_table(trials, objectives)
    if not front:
        click.echo("Pareto front: no completed feasible trial yet")
        return
    given = all(m.reference is not None for m in objectives.metrics)
    click.echo(f"Pareto front: {len(front)} trial(s), hypervolume {format_value(volume)} "
               f"(from {'the metrics reference point' if given else 'the worst values seen plus a tenth of their range'})")
    for t in front:
        values = " ".join(f"{m.name}={format_value(t.metrics[m.name])}" for m in objectives.metrics)
        click.echo(f"  trial {t.id} {values} params={t.params}")


def _sweep_record(
    spec: SweepSpec, status: SweepStatus, best: Trial | None, front: list[Trial] | None, trials: list[Trial]
) -> dict[str, Any]:
    """The sweep's definition, status, best trial id (or Pareto front ids) and trial records, JSON-ready."""
    front_ids = None if front is None else {t.id for t in front}
    return {
        "name": spec.name,
        "status": status.state,
        "budget": status.budget,
        "algorithm": spec.algorithm,
        "options": dict(spec.options),
        "seed": spec.seed,
        "metric": spec.metric.name,
        "direction": spec.metric.direction.value,
        "metrics": [m.spec() for m in spec.metrics],
        "constraints": [c.spec() for c in spec.constraints],
        "pruner": spec.pruner,
        "space": dict(spec.space),
        "best": None if best is None else best.id,
        "best_trials": None if front_ids is None else sorted(front_ids),
        "trials": [trial_to_record(t, front_ids) for t in trials],
    }


def _copy_label(trial: Trial) -> str:
    """``SWEEP#ID`` of the trial a copied trial was copied from, else '-'."""
    source = trial.copied_from
    return "-" if source is None else f"{source['sweep']}#{source['trial']}"


def _show_trial(store: Storage, name: str, trial_id: int) -> None:
    trial = store.get_trial(name, trial_id)
    copy = "" if trial.copied_from is None else f", copy of {_copy_label(trial)}"
    click.echo(f"trial {trial.id} of {name}: {trial.state.value}, value {format_value(trial.value)}, "
               f"{format_value(trial.run_seconds)} s, worker {trial.worker or '-'}{copy}")
    click.echo(f"params: {trial.params}")
    if trial.meta:
        click.echo(f"schedule: {dict(trial.meta)}")
    if trial.metrics:
        click.echo(f"metrics: {dict(trial.metrics)}")
    if trial.reports:
        click.echo("reports: " + ", ".join(f"{r.step}: {format_value(r.value)}" for r in trial.reports))
    if trial.error:
        click.echo(f"error: {trial.error}")
    folder = trial_dir(runs_root_for(store), name, trial.id)
    if folder.is_dir():
        click.echo(f"output: {folder} ({', '.join(sorted(p.name for p in folder.iterdir()))})")
