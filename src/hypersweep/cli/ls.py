"""`hypersweep ls`: the sweeps in a store with their trial counts and best values."""
from __future__ import annotations

import click

from hypersweep.cli.common import one_line_errors, open_store, render_table, storage_option
from hypersweep.records import TrialState
from hypersweep.storage.urls import mask_password


@click.command("ls")
@storage_option
@one_line_errors
def ls_command(storage: str) -> None:
    """List sweeps."""
    summaries = open_store(storage).list_sweeps()
    if not summaries:
        click.echo(f"no sweeps in {mask_password(storage)}")
        return
    headers = ["name", "algorithm", "metric", "trials", "completed", "running", "failed", "pruned", "best"]
    rows = [
        [
            s.name,
            s.algorithm,
            f"{s.metric.name} ({s.metric.direction.value})",
            s.n_trials,
            s.counts.get(TrialState.COMPLETED, 0),
            s.counts.get(TrialState.RUNNING, 0) + s.counts.get(TrialState.WAITING, 0),
            s.counts.get(TrialState.FAILED, 0),
            s.counts.get(TrialState.PRUNED, 0),
            s.best_value,
        ]
        for s in summaries
    ]
    click.echo(render_table(headers, rows))
