"""How the commands that run trials (run, resume, worker) report what they did."""
from __future__ import annotations

import sys

import click

from hypersweep.api import Sweep
from hypersweep.cli.common import EXIT_INTERRUPTED, EXIT_NO_TRIAL_COMPLETED, EXIT_TERMINATED, format_value
from hypersweep.records import TrialState
from hypersweep.runner.runner import EXHAUSTED, INTERRUPTED, TERMINATED, RunSummary


def end_run(sweep: Sweep, summary: RunSummary) -> None:
    """Echo the summary, then exit with the run's code (docs/command_line.md): 143 after SIGTERM,
    130 after Ctrl-C, 1 when trials finished and all of them failed, else 0."""
    echo_summary(sweep, summary)
    code = run_exit_code(summary)
    if code:
        sys.exit(code)


def run_exit_code(summary: RunSummary) -> int:
    """The exit code of a run that ended without an error."""
    if summary.stop_reason == TERMINATED:
        return EXIT_TERMINATED
    if summary.stop_reason == INTERRUPTED:
        return EXIT_INTERRUPTED
    finished = sum(summary.finished.values())
    if finished and summary.finished.get(TrialState.FAILED, 0) == finished:  # pruned trials did end normally
        return EXIT_NO_TRIAL_COMPLETED
    return 0


def echo_summary(sweep: Sweep, summary: RunSummary) -> None:
    """Counts, why the run stopped, re-queued/reaped trials and the best trial."""
    if summary.recovered:
        click.echo(f"re-queued trial(s) {', '.join(map(str, summary.recovered))} left running by a dead runner")
    if summary.reaped:
        lost = ", ".join(f"{a}" + (f" (retry {b})" if b is not None else "") for a, b in summary.reaped)
        click.echo(f"failed trial(s) {lost} whose heartbeat was lost")
    counts = ", ".join(f"{n} {state.value}" for state, n in sorted(summary.finished.items()))
    if not summary.started and summary.stop_reason in (EXHAUSTED, "n_trials") and not summary.recovered:
        click.echo(f"sweep {sweep.name}: nothing left to run, its budget is spent; `hypersweep show {sweep.name}` "
                   "lists its trials")
    else:
        click.echo(f"sweep {sweep.name}: {counts or 'no trials finished'} ({summary.stop_reason}, {summary.elapsed:.1f}s)")
    if summary.requeued:
        click.echo(f"{summary.requeued} running trial(s) re-queued; `hypersweep resume {sweep.name}` continues them")
    best = summary.best
    if sweep.objectives.is_multi:
        click.echo(f"Pareto front: {len(summary.front)} trial(s); `hypersweep show {sweep.name}` lists them")
    elif best is None:
        click.echo("no completed trial yet")
    else:
        click.echo(f"best trial {best.id}: {sweep.metric.name}={format_value(best.value)} params={best.params}")
