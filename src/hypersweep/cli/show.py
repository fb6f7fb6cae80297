"""`hypersweep show NAME`: a sweep's definition, its trials table and its best trial."""
from __future__ import annotations

import click

from hypersweep.api import best_trial
from hypersweep.cli.common import format_value, one_line_errors, open_store, render_table, storage_option


@click.command("show")
@click.argument("name")
@storage_option
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show only the last N trials.")
@one_line_errors
def show_command(name: str, storage: str, limit: int | None) -> None:
    """Show the trials of sweep NAME."""
    store = open_store(storage)
    spec = store.get_sweep(name)
    trials = store.get_trials(name, with_reports=False)
    click.echo(f"sweep {spec.name}: algorithm {spec.algorithm}, seed {spec.seed}, "
               f"{spec.metric.direction.value} {spec.metric.name}, {len(trials)} trials")
    names = list(spec.space)
    shown = trials[-limit:] if limit else trials
    rows = [
        [t.id, t.state.value, t.value, *(t.params.get(p) for p in names), t.duration] for t in shown
    ]
    click.echo(render_table(["id", "state", spec.metric.name, *names, "seconds"], rows))
    best = best_trial(trials, spec.metric)
    if best is None:
        click.echo("best: no completed trial yet")
    else:
        click.echo(f"best: trial {best.id} {spec.metric.name}={format_value(best.value)} params={best.params}")
