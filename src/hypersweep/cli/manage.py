"""Small commands that change a stored sweep: `stop`, `restart`, `copy`, `rm`."""
from __future__ import annotations

import shutil
from collections import Counter

import click

from hypersweep.api import copy_sweep, restart_trial, stop_sweep
from hypersweep.cli.common import one_line_errors, open_store, storage_option
from hypersweep.cli.status import FINISHED, sweep_status
from hypersweep.config import sweep_file_from_data
from hypersweep.config.launch import SWEEP_FILE_ATTR
from hypersweep.config.sweep_file import SETTINGS_KEYS, algorithm_block_key
from hypersweep.exceptions import SpecError
from hypersweep.records import check_sweep_name
from hypersweep.runner.run_dirs import runs_root_for
from hypersweep.space import load_yaml


@click.command("stop")
@click.argument("name")
@storage_option
@one_line_errors
def stop_command(name: str, storage: str) -> None:
    """Stop sweep NAME gracefully: running trials finish, no new trial starts."""
    store = open_store(storage)
    trials = store.get_trials(name, with_reports=False)
    status = sweep_status(store, store.get_sweep(name), Counter(t.state for t in trials))
    if status.state == FINISHED:
        click.echo(f"sweep {name} is finished ({len(trials)} of its {status.budget} trials); nothing to stop")
        return
    stop_sweep(name, storage=store)
    click.echo(f"stop requested for sweep {name}; running trials finish, `hypersweep resume {name}` continues")


@click.command("restart")
@click.argument("name")
@click.option("--trial", "trial_id", type=click.IntRange(min=0), required=True, help="Trial id to run again.")
@storage_option
@one_line_errors
def restart_command(name: str, trial_id: int, storage: str) -> None:
    """Queue trial ID of sweep NAME again with the same params (`resume NAME` runs it)."""
    trial = restart_trial(name, trial_id, storage=open_store(storage))
    click.echo(f"queued trial {trial.id} with the params of trial {trial_id}: {trial.params}; "
               f"`hypersweep resume {name}` runs it")


@click.command("copy")
@click.argument("name")
@click.option("--to", "target", required=True, help="Name of the new sweep.")
@click.option("--algorithm", default=None, help="Another algorithm for the new sweep (default: the same).")
@click.option("--options", "options_text", default=None, help="Its settings as YAML, e.g. '{n_experiments: 50}'.")
@click.option("--seed", type=int, default=None, help="Seed of the new sweep [default: the source's].")
@storage_option
@one_line_errors
def copy_command(name: str, target: str, algorithm: str | None, options_text: str | None, seed: int | None, storage: str) -> None:
    """Warm-start sweep --to from NAME's finished trials (e.g. with another algorithm)."""
    check_sweep_name(target, field="--to")
    options = None
    if options_text is not None:
        options = load_yaml(options_text if "\n" in options_text else options_text + "\n")
        if not isinstance(options, dict):
            raise SpecError(f"--options: must be a YAML mapping such as '{{n_experiments: 50}}'; got {options_text!r}")
    store = open_store(storage)
    data = store.get_sweep_attrs(name).get(SWEEP_FILE_ATTR)
    block = None
    if algorithm is not None or options is not None:  # the source's stored algorithm when only options change
        block = (algorithm or store.get_sweep(name).algorithm, dict(options or {}))
    new_file = _renamed_file(data, target, block, seed) if isinstance(data, dict) else None
    sweep = copy_sweep(name, target, storage=store, algorithm=algorithm, options=options, seed=seed)
    if new_file is not None:
        store.set_sweep_attr(target, SWEEP_FILE_ATTR, new_file)
    n = len(sweep.trials)
    click.echo(f"copied {n} finished trial(s) of {name} into new sweep {target} ({sweep.algorithm.name})")


def _renamed_file(data: dict, target: str, block: tuple[str, dict] | None, seed: int | None) -> dict:
    """The source's sweep file for the copy: new name, and ``block`` (algorithm, options) in place
    of the source's algorithm block when given."""
    settings = dict(data.get("settings") or {})
    if block is not None:
        algorithm, options = block
        kept = {k: v for k, v in settings.items() if k in SETTINGS_KEYS}
        settings = {**kept, algorithm_block_key(algorithm): options}
    if seed is not None:
        settings["seed"] = seed
    new = {**data, "name": target, "settings": settings}
    sweep_file_from_data(new, source=f"copy {target!r}")  # the copy must stay runnable
    return new


@click.command("rm")
@click.argument("name")
@storage_option
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@one_line_errors
def rm_command(name: str, storage: str, yes: bool) -> None:
    """Delete sweep NAME with all its trials, reports and trial folders."""
    store = open_store(storage)
    n = len(store.get_trials(name, with_reports=False))
    folder = runs_root_for(store) / name
    files = f" and its trial folders in {folder}" if folder.is_dir() else ""
    if not yes and not click.confirm(f"delete sweep {name}, its {n} trial(s){files}?", default=False):
        click.echo("nothing deleted")
        return
    store.delete_sweep(name)
    if files:
        shutil.rmtree(folder)
    click.echo(f"deleted sweep {name} ({n} trials){files}")
