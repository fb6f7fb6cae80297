"""`hypersweep export NAME --format csv|json`: trials to stdout or a file."""
from __future__ import annotations

from pathlib import Path

import click

from hypersweep.cli.common import one_line_errors, open_store, storage_option
from hypersweep.best import pareto_front
from hypersweep.export import trials_to_csv, trials_to_json


@click.command("export")
@click.argument("name")
@storage_option
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="json", show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="File (default stdout).")
@one_line_errors
def export_command(name: str, storage: str, fmt: str, output: str | None) -> None:
    """Export the trials of sweep NAME (with several metrics, each marked pareto_optimal or not)."""
    store = open_store(storage)
    objectives = store.get_sweep(name).objectives
    trials = store.get_trials(name)
    front = {t.id for t in pareto_front(trials, objectives)} if objectives.is_multi else None
    text = trials_to_json(trials, front) if fmt == "json" else trials_to_csv(trials, front)
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        Path(output).write_text(text)
        click.echo(f"wrote {len(trials)} trials to {output}", err=True)
