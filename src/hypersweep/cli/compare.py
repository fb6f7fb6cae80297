"""`hypersweep compare A B ...`: best values and counts side by side, trajectories in one plot."""
from __future__ import annotations

from collections import Counter

import click

from hypersweep.api import best_trial
from hypersweep.cli.common import one_line_errors, open_store, render_table, storage_option
from hypersweep.exceptions import SpecError
from hypersweep.records import Trial, TrialState
from hypersweep.viz import history_series, plot_history


@click.command("compare")
@click.argument("names", nargs=-1, required=True)
@storage_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Also write the overlaid optimization histories to this PNG.")
@one_line_errors
def compare_command(names: tuple[str, ...], storage: str, output: str | None) -> None:
    """Compare sweeps NAMES: trial counts, best value and best params; optional overlaid plot."""
    if len(set(names)) != len(names):
        raise SpecError("compare: each sweep name may be given once")
    store = open_store(storage)
    specs = [store.get_sweep(name) for name in names]
    rows, series = [], {}
    for spec in specs:
        trials = store.get_trials(spec.name)  # with reports: pruned trials are drawn at their last one
        counts = {state: sum(t.state is state for t in trials) for state in TrialState}
        best = best_trial(trials, spec.metric)
        rows.append([
            spec.name, spec.algorithm, f"{spec.metric.name} ({spec.metric.direction.value})", len(trials),
            counts[TrialState.COMPLETED], counts[TrialState.FAILED], counts[TrialState.PRUNED],
            None if best is None else best.value, None if best is None else best.id,
            "-" if best is None else str(best.params), _sources(trials),
        ])
        series[spec.name] = history_series(trials, spec.metric.direction)
    headers = ["name", "algorithm", "metric", "trials", "completed", "failed", "pruned", "best", "best id", "best params",
               "copied"]
    click.echo(render_table(headers, rows))
    metrics = {spec.metric for spec in specs}
    if len(metrics) > 1:
        click.echo("note: the sweeps optimize different metrics; their values are not comparable", err=True)
    if output is not None:
        path = plot_history(series, specs[0].metric, output, title=f"compare: {', '.join(names)}")
        click.echo(f"wrote {path}")


def _sources(trials: list[Trial]) -> str:
    """How many trials were copied from which sweep (``5 from quad``), or '-'."""
    counts = Counter(t.copied_from["sweep"] for t in trials if t.copied_from is not None)
    return ", ".join(f"{n} from {sweep}" for sweep, n in counts.items()) or "-"
