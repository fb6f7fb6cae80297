"""`hypersweep run`: run a sweep file, or a Python objective over a space file."""
from __future__ import annotations

from pathlib import Path

import click
from click.core import ParameterSource

from hypersweep.algorithms import DEFAULT_ALGORITHM, available
from hypersweep.api import Sweep
from hypersweep.cli.common import one_line_errors, open_store, storage_option
from hypersweep.cli.objective import load_objective
from hypersweep.cli.summary import end_run
from hypersweep.config import load_sweep_file
from hypersweep.config.launch import SWEEP_FILE_ATTR, build_objective, require_budget, run_sweep_file
from hypersweep.config.sweep_file import SweepFile, algorithm_block_key, sweep_file_from_data
from hypersweep.exceptions import SpecError, StoreNotFoundError, SweepExistsError, SweepNotFoundError
from hypersweep.records import Metric
from hypersweep.space import Space
from hypersweep.storage import Storage


class _AlgorithmOption(click.Option):
    """``--algorithm``, whose help lists the registered algorithms (found only when help is shown)."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        self.help = f"One of {', '.join(available())} (or an alias) [default: {DEFAULT_ALGORITHM}, the benchmarks' winner]."
        return super().get_help_record(ctx)


@click.command("run")
@click.argument("sweep_file", required=False, type=click.Path(dir_okay=False))
@click.option("--space", "space_file", type=click.Path(dir_okay=False), help="YAML matrix file (without SWEEP_FILE).")
@click.option("--objective", help="module:function or file.py:function (without SWEEP_FILE).")
@click.option("--n-trials", type=click.IntRange(min=1), default=None, help="Trials to run in this call.")
@click.option("--concurrency", type=click.IntRange(min=1), default=None, help="Parallel trials [default: 1 or the file's].")
@storage_option
@click.option("--name", default=None, help="Sweep name; an existing sweep of that name is continued.")
@click.option("--algorithm", cls=_AlgorithmOption, default=None)
@click.option("--metric", default="value", show_default=True, help="Metric name the objective returns.")
@click.option("--direction", type=click.Choice(["minimize", "maximize"]), default="minimize", show_default=True,
              help="Whether the metric is minimized or maximized.")
@click.option("--seed", type=click.IntRange(min=0, max=2**63 - 1), default=None,
              help="Seed of a new sweep [default: a fresh random seed, stored with the sweep].")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Seconds after which no new trial starts.")
@click.option("--trial-timeout", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Seconds a trial may run before it is killed and failed [default: the file's run.timeout].")
@click.option("--progress/--no-progress", default=True, show_default=True, help="Show a progress bar.")
@click.option("--force", is_flag=True, help="Continue a stored sweep of that name although its file runs another program.")
@click.pass_context
@one_line_errors
def run_command(
    ctx: click.Context,
    sweep_file: str | None,
    space_file: str | None,
    objective: str | None,
    n_trials: int | None,
    concurrency: int | None,
    storage: str,
    name: str | None,
    algorithm: str | None,
    metric: str,
    direction: str,
    seed: int | None,
    timeout: float | None,
    trial_timeout: float | None,
    progress: bool,
    force: bool,
) -> None:
    """Run SWEEP_FILE (a sweep YAML), or N trials of --objective over --space."""
    if sweep_file is not None:
        given = [f"--{p.replace('_', '-')}" for p in ("space_file", "objective", "name", "algorithm", "metric", "direction", "seed")
                 if ctx.get_parameter_source(p) is not ParameterSource.DEFAULT]
        if given:
            raise SpecError(f"run: {', '.join(given).replace('--space-file', '--space')} cannot be combined with a sweep "
                            "file; set them in the file")
        _run_file(ctx, Path(sweep_file), storage, n_trials, concurrency, progress, timeout, trial_timeout, force)
        return
    if not space_file or not objective or n_trials is None:
        raise SpecError("run: give a sweep file (hypersweep run sweep.yaml) or --space, --objective and --n-trials")
    space = Space.from_yaml(space_file)
    function = load_objective(objective)
    sweep = _stored_sweep(name, storage)
    if sweep is not None and sweep.space != space:
        click.echo(f"note: continuing sweep {name!r} with its stored space", err=True)
    if sweep is None:  # the store is created only once the definition is valid
        sweep = Sweep(space, algorithm=algorithm, metric=Metric(metric, direction), storage=storage, name=name, seed=seed)
        _store_as_file(sweep, objective)
    summary = sweep.run(function, n_trials=n_trials, concurrency=concurrency or 1, timeout=timeout,
                        trial_timeout=trial_timeout, progress=progress)
    end_run(sweep, summary)


def _run_file(
    ctx: click.Context, path: Path, storage: str, n_trials: int | None, concurrency: int | None, progress: bool,
    timeout: float | None, trial_timeout: float | None, force: bool,
) -> None:
    sweep_file = load_sweep_file(path)  # validated before the store is even opened
    require_budget(sweep_file.algorithm, sweep_file.limit, n_trials, sweep_file.max_resource)
    if ctx.get_parameter_source("storage") is ParameterSource.DEFAULT and sweep_file.storage:
        storage = sweep_file.storage
    build_objective(sweep_file, storage_text=storage)  # a bad run.function is refused before a store exists
    store = open_store(storage, create=True)
    if not force:
        _require_same_program(sweep_file, store)
    try:
        sweep, summary = run_sweep_file(
            sweep_file, store, storage_text=storage, n_trials=n_trials, concurrency=concurrency, progress=progress,
            timeout=timeout, trial_timeout=trial_timeout,
        )
    except SweepExistsError as exc:  # said in the command line's words
        if not exc.differences:
            raise
        raise SweepExistsError(
            f"sweep {sweep_file.name!r} is stored with another {', '.join(exc.differences)} than this file's; give "
            f"the file another name, or run `hypersweep resume {sweep_file.name}` to continue the sweep as stored",
            exc.differences,
        ) from None
    end_run(sweep, summary)


def _store_as_file(sweep: Sweep, objective: str) -> None:
    """Store the sweep file this command line amounts to, so `resume` and `worker` can run it."""
    module, _, function = objective.rpartition(":")
    if module.endswith(".py"):
        module = str(Path(module).resolve())
    data = {
        "name": sweep.name,
        "metric": {"name": sweep.metric.name, "optimization": sweep.metric.direction.value},
        "settings": {algorithm_block_key(sweep.algorithm.name): dict(sweep.spec.options)},
        "matrix": sweep.space.to_matrix(),
        "run": {"function": f"{module}:{function}"},
    }
    try:
        sweep_file_from_data(data, source="--space/--objective")
    except SpecError:  # e.g. a parameter name a sweep file does not allow: resume then says how to continue
        return
    sweep.storage.set_sweep_attr(sweep.name, SWEEP_FILE_ATTR, data)


def _require_same_program(sweep_file: SweepFile, store: Storage) -> None:
    """``SweepExistsError`` when sweep ``sweep_file.name`` is stored with a file that runs another
    program (``run.cmd`` or ``run.function``): two programs' results must not mix under one name."""
    try:
        data = store.get_sweep_attrs(sweep_file.name).get(SWEEP_FILE_ATTR)
    except SweepNotFoundError:
        return
    if not isinstance(data, dict):
        return
    stored = sweep_file_from_data(data, source=f"sweep {sweep_file.name!r} (stored)").run
    for field in ("cmd", "function"):
        old, new = getattr(stored, field), getattr(sweep_file.run, field)
        if old != new:
            shown = [" ".join(v) if isinstance(v, tuple) else v for v in (old, new)]
            raise SweepExistsError(
                f"run.{field}: sweep {sweep_file.name!r} is stored with {field} {shown[0]!r}, this file has "
                f"{shown[1]!r}; give the file another name, or pass --force to continue the sweep with it"
            )


def _stored_sweep(name: str | None, storage: str) -> Sweep | None:
    """The stored sweep called ``name``, or None when there is none (or no store yet)."""
    if name is None:
        return None
    try:
        return Sweep.load(name, storage=storage)
    except (SweepNotFoundError, StoreNotFoundError):
        return None
