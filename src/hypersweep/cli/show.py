"""`hypersweep show NAME`: a sweep's definition, its trials table and its best trial."""
from __future__ import annotations

import click

from hypersweep.api import best_trial
from hypersweep.cli.common import format_value, one_line_errors, open_store, render_table, storage_option
from hypersweep.runner.run_dirs import runs_root_for, trial_dir
from hypersweep.storage import Storage


_SCHEDULE_COLUMNS = ("bracket", "rung", "parent")


@click.command("show")
@click.argument("name")
@storage_option
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show only the last N trials.")
@click.option("--trial", "trial_id", type=click.IntRange(min=0), default=None,
              help="Show one trial in full: params, metrics, error, reports and its output files.")
@one_line_errors
def show_command(name: str, storage: str, limit: int | None, trial_id: int | None) -> None:
    """Show the trials of sweep NAME."""
    store = open_store(storage)
    spec = store.get_sweep(name)
    if trial_id is not None:
        _show_trial(store, name, trial_id)
        return
    trials = store.get_trials(name, with_reports=False)
    click.echo(f"sweep {spec.name}: algorithm {spec.algorithm}, seed {spec.seed}, "
               f"{spec.metric.direction.value} {spec.metric.name}, {len(trials)} trials")
    names = list(spec.space)
    shown = trials[-limit:] if limit else trials
    schedule = [k for k in _SCHEDULE_COLUMNS if any(k in t.meta for t in shown)]  # multi-fidelity sweeps
    resource = [k for k in {*(k for t in shown for k in t.params)} - set(names)]
    rows = [
        [t.id, t.state.value, t.value, *(t.params.get(p) for p in names + sorted(resource)),
         *(t.meta.get(k) for k in schedule), t.duration]
        for t in shown
    ]
    click.echo(render_table(["id", "state", spec.metric.name, *names, *sorted(resource), *schedule, "seconds"], rows))
    best = best_trial(trials, spec.metric)
    if best is None:
        click.echo("best: no completed trial yet")
    else:
        click.echo(f"best: trial {best.id} {spec.metric.name}={format_value(best.value)} params={best.params}")


def _show_trial(store: Storage, name: str, trial_id: int) -> None:
    trial = store.get_trial(name, trial_id)
    click.echo(f"trial {trial.id} of {name}: {trial.state.value}, value {format_value(trial.value)}, "
               f"{format_value(trial.duration)} s, worker {trial.worker or '-'}")
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
