"""`hypersweep resume NAME` and `hypersweep worker NAME`: continue a stored sweep.

Both re-queue trials left running by a dead runner of this host, reap trials whose heartbeat
was lost on any host, and run the command or function of the sweep file stored with the sweep,
with the sweep's stored definition (algorithm, options, seed, pruner).
`resume` clears a stop request; `worker` respects it (start as many workers as you like, on
one machine or many, against one PostgreSQL store: they share the sweep without duplicates).
"""
from __future__ import annotations

import click

from hypersweep.cli.common import one_line_errors, open_store, storage_option
from hypersweep.cli.summary import end_run
from hypersweep.config.launch import resume_sweep


@click.command("resume")
@click.argument("name")
@storage_option
@click.option("--n-trials", type=click.IntRange(min=1), default=None, help="At most this many trials [default: to the budget].")
@click.option("--concurrency", type=click.IntRange(min=1), default=None, help="Parallel trials [default: the file's].")
@click.option("--progress/--no-progress", default=True, show_default=True, help="Show a progress bar.")
@one_line_errors
def resume_command(name: str, storage: str, n_trials: int | None, concurrency: int | None, progress: bool) -> None:
    """Continue sweep NAME after a stop, a crash or Ctrl-C."""
    _continue(name, storage, n_trials, concurrency, progress, clear_stop_flag=True)


@click.command("worker")
@click.argument("name")
@storage_option
@click.option("--n-trials", type=click.IntRange(min=1), default=None, help="At most this many trials [default: to the budget].")
@click.option("--concurrency", type=click.IntRange(min=1), default=1, show_default=True, help="Parallel trials of this worker.")
@click.option("--progress/--no-progress", default=False, show_default=True, help="Show a progress bar.")
@one_line_errors
def worker_command(name: str, storage: str, n_trials: int | None, concurrency: int, progress: bool) -> None:
    """Work on sweep NAME beside other workers until its budget is spent or it is stopped."""
    _continue(name, storage, n_trials, concurrency, progress, clear_stop_flag=False)


def _continue(name: str, storage: str, n_trials: int | None, concurrency: int | None, progress: bool, *, clear_stop_flag: bool) -> None:
    sweep, summary = resume_sweep(
        name, open_store(storage), storage_text=storage, n_trials=n_trials, concurrency=concurrency,
        progress=progress, clear_stop_flag=clear_stop_flag,
    )
    end_run(sweep, summary)
