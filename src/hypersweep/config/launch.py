"""Run a validated sweep file: create or continue its sweep, build the objective, run it.

The sweep file itself is stored with the sweep (attribute ``sweep_file``), so ``resume NAME``
and ``hypersweep worker NAME`` need only the store. They continue the sweep with its stored
definition (space, algorithm, options, seed, pruner), never with one re-derived from the file:
a file without an algorithm block keeps the algorithm it was started with when the default
changes. The file gives them only how trials run (command, retries, early stopping, ...).
"""
from __future__ import annotations

from typing import Any

from hypersweep.api import Sweep
from hypersweep.config.sweep_file import SweepFile, sweep_file_from_data
from hypersweep.exceptions import SpecError
from hypersweep.records import TrialState
from hypersweep.runner.command import CommandObjective, require_program
from hypersweep.runner.control import clear_stop
from hypersweep.runner.objective_ref import load_function
from hypersweep.runner.plan import RunPlan
from hypersweep.runner.run_dirs import runs_root_for
from hypersweep.runner.runner import Runner, RunSummary
from hypersweep.storage import Storage
from hypersweep.storage.urls import mask_password

SWEEP_FILE_ATTR = "sweep_file"


def open_sweep(sweep_file: SweepFile, storage: Storage, *, progress: bool = True) -> Sweep:
    """Create the sweep (or continue the stored one of that name) and store the file with it;
    ``progress``: show the bar of work done at creation."""
    sweep = Sweep(
        sweep_file.space,
        algorithm=sweep_file.algorithm,
        metric=list(sweep_file.objectives.metrics),
        constraints=sweep_file.constraints,
        storage=storage,
        name=sweep_file.name,
        seed=sweep_file.seed,
        options=sweep_file.options,
        pruner=sweep_file.make_pruner(),
        progress=progress,
    )
    if storage.get_sweep_attrs(sweep.name).get(SWEEP_FILE_ATTR) != dict(sweep_file.data):
        storage.set_sweep_attr(sweep.name, SWEEP_FILE_ATTR, dict(sweep_file.data))
    return sweep


def stored_sweep_file(storage: Storage, name: str) -> SweepFile:
    """The sweep file stored with sweep ``name``; ``SpecError`` if it was not made from one."""
    data = storage.get_sweep_attrs(name).get(SWEEP_FILE_ATTR)
    if not isinstance(data, dict):
        storage.get_sweep(name)
        raise SpecError(
            f"sweep {name!r}: was not started from a sweep file, so there is no command to run; "
            "continue it with `hypersweep run --space ... --objective ... --name NAME`"
        )
    return sweep_file_from_data(data, source=f"sweep {name!r} (stored)")


def build_objective(sweep_file: SweepFile, *, storage_text: str) -> Any:
    """A ``CommandObjective`` for ``run.cmd``, or the imported ``run.function``."""
    run = sweep_file.run
    if run.cmd is not None:
        require_program(run.cmd, run.env)
        return CommandObjective(
            argv=run.cmd, sweep=sweep_file.name, metric=sweep_file.metric.name, storage=mask_password(storage_text),
            defaults=sweep_file.space.defaults,
        )
    return load_function(run.function or "", field="run.function")


def require_budget(algorithm: str, limit: int | None, n_trials: int | None, max_resource: float | None = None) -> None:
    """``SpecError`` unless the run is bounded by the algorithm's budget, max_trials, max_resource or n_trials."""
    if n_trials is None and limit is None and max_resource is None:
        raise SpecError(
            f"settings.max_trials: {algorithm!r} has no trial budget of its own; set "
            "settings.max_trials (or, multi-fidelity, settings.max_resource) or pass --n-trials"
        )


def trial_limit(sweep: Sweep, sweep_file: SweepFile) -> int | None:
    """Total trials the sweep may create: its algorithm's budget capped by ``settings.max_trials``."""
    limits = [n for n in (sweep.algorithm.budget, sweep_file.max_trials) if n is not None]
    return min(limits) if limits else None


def remaining_trials(sweep: Sweep, budget: int | None) -> int | None:
    """Trials still to start under the sweep's budget (waiting ones included), or None: what a
    progress bar expects."""
    if budget is None:
        return None
    trials = sweep.storage.get_trials(sweep.name, with_reports=False)
    waiting = sum(t.state is TrialState.WAITING for t in trials)
    return max(budget - len(trials), 0) + waiting


def run_sweep_file(
    sweep_file: SweepFile,
    storage: Storage,
    *,
    storage_text: str,
    n_trials: int | None = None,
    concurrency: int | None = None,
    progress: bool = True,
    timeout: float | None = None,
    trial_timeout: float | None = None,
) -> tuple[Sweep, RunSummary]:
    """Run the sweep of ``sweep_file`` (created, or continued when the stored definition matches)
    until its budget, a stop, or ``n_trials`` more trials; clears a stop request first.

    The file's budgets (``n_experiments``, ``settings.max_trials``) are totals of the sweep,
    shared by every runner; ``n_trials`` caps only this run. ``trial_timeout`` overrides
    ``run.timeout``.
    """
    require_budget(sweep_file.algorithm, sweep_file.limit, n_trials, sweep_file.max_resource)
    objective = build_objective(sweep_file, storage_text=storage_text)
    sweep = open_sweep(sweep_file, storage, progress=progress)
    return _run(sweep, sweep_file, objective, n_trials=n_trials, concurrency=concurrency, progress=progress,
                timeout=timeout, trial_timeout=trial_timeout, clear_stop_flag=True)


def resume_sweep(
    name: str,
    storage: Storage,
    *,
    storage_text: str,
    n_trials: int | None = None,
    concurrency: int | None = None,
    progress: bool = True,
    clear_stop_flag: bool = True,
) -> tuple[Sweep, RunSummary]:
    """Continue stored sweep ``name`` with its stored definition and the command of its stored file.

    ``clear_stop_flag``: ``resume`` clears a stop request; a ``worker`` respects it.
    """
    sweep_file = stored_sweep_file(storage, name)
    objective = build_objective(sweep_file, storage_text=storage_text)
    sweep = Sweep.load(name, storage=storage)
    return _run(sweep, sweep_file, objective, n_trials=n_trials, concurrency=concurrency, progress=progress,
                timeout=None, trial_timeout=None, clear_stop_flag=clear_stop_flag)


def _run(
    sweep: Sweep,
    sweep_file: SweepFile,
    objective: Any,
    *,
    n_trials: int | None,
    concurrency: int | None,
    progress: bool,
    timeout: float | None,
    trial_timeout: float | None,
    clear_stop_flag: bool,
) -> tuple[Sweep, RunSummary]:
    limit = trial_limit(sweep, sweep_file)
    require_budget(sweep.algorithm.name, limit, n_trials, sweep_file.max_resource)
    if clear_stop_flag:
        clear_stop(sweep.storage, sweep.name)
    plan = RunPlan(
        n_trials=n_trials,
        concurrency=concurrency or sweep_file.concurrency,
        max_trials=sweep_file.max_trials,
        max_resource=sweep_file.max_resource,
        timeout=timeout,
        trial_timeout=trial_timeout or sweep_file.run.timeout,
        max_retries=sweep_file.max_retries,
        heartbeat_grace=sweep_file.heartbeat_grace,
        early_stopping=sweep_file.early_stopping,
        env=sweep_file.run.env,
        runs_root=str(runs_root_for(sweep.storage)),
    )
    runner = Runner(
        sweep, sweep_file.executor.build(), plan, progress=progress, expected_trials=remaining_trials(sweep, limit)
    )
    return sweep, runner.run(objective)
