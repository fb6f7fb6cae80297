"""How the commands that run trials (run, resume, worker) report what they did."""
from __future__ import annotations

import click

from hypersweep.api import Sweep
from hypersweep.cli.common import format_value
from hypersweep.runner.control import SweepControl
from hypersweep.runner.loop import RunSummary


def echo_summary(sweep: Sweep, summary: RunSummary, control: SweepControl | None = None) -> None:
    """Counts, why the run stopped, re-queued/reaped trials and the best trial."""
    if control is not None and control.requeued:
        click.echo(f"re-queued trial(s) {', '.join(map(str, control.requeued))} left running by a dead runner")
    if control is not None and control.reaped:
        lost = ", ".join(f"{a}" + (f" (retry {b})" if b is not None else "") for a, b in control.reaped)
        click.echo(f"failed trial(s) {lost} whose heartbeat was lost")
    counts = ", ".join(f"{n} {state.value}" for state, n in sorted(summary.finished.items()))
    click.echo(f"sweep {sweep.name}: {counts or 'no trials finished'} ({summary.stop_reason}, {summary.elapsed:.1f}s)")
    if summary.requeued:
        click.echo(f"{summary.requeued} running trial(s) re-queued; `hypersweep resume {sweep.name}` continues them")
    best = summary.best
    if best is None:
        click.echo("no completed trial yet")
    else:
        click.echo(f"best trial {best.id}: {sweep.metric.name}={format_value(best.value)} params={best.params}")
