"""How the commands that run trials (run, resume, worker) report what they did."""
from __future__ import annotations

import sys

import click

from hypersweep.api import Sweep
from hypersweep.cli.common import format_value
from hypersweep.runner.runner import TERMINATED, RunSummary

TERMINATED_EXIT = 143  # 128 + SIGTERM, what a shell reports for a job stopped by SIGTERM


def end_run(sweep: Sweep, summary: RunSummary) -> None:
    """Echo the summary; a run stopped by SIGTERM then exits with status 143."""
    echo_summary(sweep, summary)
    if summary.stop_reason == TERMINATED:
        sys.exit(TERMINATED_EXIT)


def echo_summary(sweep: Sweep, summary: RunSummary) -> None:
    """Counts, why the run stopped, re-queued/reaped trials and the best trial."""
    if summary.recovered:
        click.echo(f"re-queued trial(s) {', '.join(map(str, summary.recovered))} left running by a dead runner")
    if summary.reaped:
        lost = ", ".join(f"{a}" + (f" (retry {b})" if b is not None else "") for a, b in summary.reaped)
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
