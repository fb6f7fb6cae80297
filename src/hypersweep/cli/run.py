"""`hypersweep run`: run a sweep of a Python objective over a space file."""
from __future__ import annotations

import click

from hypersweep.api import Sweep
from hypersweep.cli.common import format_value, one_line_errors, open_store, storage_option
from hypersweep.cli.objective import load_objective
from hypersweep.exceptions import SweepNotFoundError
from hypersweep.records import Metric
from hypersweep.space import Space
from hypersweep.storage import Storage


@click.command("run")
@click.option("--space", "space_file", required=True, type=click.Path(dir_okay=False), help="YAML matrix file.")
@click.option("--objective", required=True, help="module:function or file.py:function to minimize/maximize.")
@click.option("--n-trials", type=click.IntRange(min=1), required=True, help="Trials to run in this call.")
@click.option("--concurrency", type=click.IntRange(min=1), default=1, show_default=True)
@storage_option
@click.option("--name", default=None, help="Sweep name; an existing sweep of that name is continued.")
@click.option("--algorithm", default="random", show_default=True)
@click.option("--metric", default="value", show_default=True, help="Metric name the objective returns.")
@click.option("--direction", type=click.Choice(["minimize", "maximize"]), default="minimize", show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None, help="Seconds.")
@click.option("--progress/--no-progress", default=True, show_default=True)
@one_line_errors
def run_command(
    space_file: str,
    objective: str,
    n_trials: int,
    concurrency: int,
    storage: str,
    name: str | None,
    algorithm: str,
    metric: str,
    direction: str,
    seed: int,
    timeout: float | None,
    progress: bool,
) -> None:
    """Run N trials of OBJECTIVE over the search space in SPACE_FILE."""
    space = Space.from_yaml(space_file)
    function = load_objective(objective)
    store = open_store(storage)
    sweep = _stored_sweep(name, store)
    if sweep is not None and sweep.space != space:
        click.echo(f"note: continuing sweep {name!r} with its stored space", err=True)
    if sweep is None:
        sweep = Sweep(
            space,
            algorithm=algorithm,
            metric=Metric(metric, direction),
            storage=store,
            name=name,
            seed=seed,
        )
    summary = sweep.run(function, n_trials=n_trials, concurrency=concurrency, timeout=timeout, progress=progress)
    counts = ", ".join(f"{n} {state.value}" for state, n in sorted(summary.finished.items()))
    click.echo(f"sweep {sweep.name}: {counts or 'no trials finished'} ({summary.stop_reason}, {summary.elapsed:.1f}s)")
    if summary.requeued:
        click.echo(f"{summary.requeued} running trial(s) re-queued; run again to continue them")
    best = summary.best
    if best is None:
        click.echo("no completed trial yet")
    else:
        click.echo(f"best trial {best.id}: {sweep.metric.name}={format_value(best.value)} params={best.params}")


def _stored_sweep(name: str | None, store: Storage) -> Sweep | None:
    """The stored sweep called ``name``, or None when there is none."""
    if name is None:
        return None
    try:
        return Sweep.load(name, storage=store)
    except SweepNotFoundError:
        return None
