"""Entry point of the ``hypersweep`` command."""
from __future__ import annotations

import logging
import os

import click

from hypersweep import __version__
from hypersweep.cli.compare import compare_command
from hypersweep.cli.dashboard import dashboard_command, report_command
from hypersweep.cli.export import export_command
from hypersweep.cli.ls import ls_command
from hypersweep.cli.manage import copy_command, restart_command, rm_command, stop_command
from hypersweep.cli.meta_train import meta_train_command
from hypersweep.cli.plot import plot_command
from hypersweep.cli.resume import resume_command, worker_command
from hypersweep.cli.run import run_command
from hypersweep.cli.show import show_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hypersweep")
def cli() -> None:
    """hypersweep: hyperparameter sweeps that never lose results."""
    debug = os.environ.get("HYPERSWEEP_DEBUG")
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


for command in (
    run_command, ls_command, show_command, export_command, plot_command, compare_command,
    resume_command, restart_command, stop_command, copy_command, rm_command, worker_command,
    dashboard_command, report_command,
):
    cli.add_command(command)
cli.add_command(meta_train_command)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="hypersweep")
