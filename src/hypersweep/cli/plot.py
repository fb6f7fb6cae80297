"""`hypersweep plot NAME -o history.png`: the optimization history as a picture."""
from __future__ import annotations

import click

from hypersweep.cli.common import one_line_errors, open_store, storage_option
from hypersweep.viz import history_series, plot_history, plot_pareto


@click.command("plot")
@click.argument("name")
@storage_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="history.png", show_default=True,
              help="PNG file to write.")
@one_line_errors
def plot_command(name: str, storage: str, output: str) -> None:
    """Plot every trial's value and the best-so-far line of sweep NAME (several metrics: the
    Pareto front and the hypervolume over trials)."""
    store = open_store(storage)
    spec = store.get_sweep(name)
    if spec.objectives.is_multi:
        path = plot_pareto(store.get_trials(name), spec.objectives, output, title=f"{name}: Pareto front")
        click.echo(f"wrote {path}")
        return
    series = history_series(store.get_trials(name), spec.metric.direction)
    path = plot_history({name: series}, spec.metric, output, title=f"{name}: optimization history")
    click.echo(f"wrote {path}" + ("" if series.has_values else " (no completed trial to draw)"))
