"""The Sweep: Polyaxon's experiment group as an ask/tell object over a store.

>>> import hypersweep as hs
>>> sweep = hs.Sweep(hs.Space({"x": hs.uniform(-1, 1)}), metric="loss", seed=0)
>>> trial = sweep.ask()
>>> _ = sweep.tell(trial, trial.params["x"] ** 2)
>>> sweep.best.id
0
"""
from __future__ import annotations

import functools
import logging
import numbers
import os
import secrets
import socket
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hypersweep import algorithms
from hypersweep.algorithms import Algorithm, make_algorithm, stored_options
from hypersweep.algorithms.creation import CreationContext
from hypersweep.algorithms.multifidelity.cost import resource_spent
from hypersweep.best import best_trial, pareto_front
from hypersweep.exceptions import (
    HypersweepError, InvalidRecordError, MultiObjectiveError, ParamsError, SpecError, SweepExistsError,
    SweepNotFoundError,
)
from hypersweep.outcome import Failed, outcome_of
from hypersweep.records import COPIED_FROM, Constraint, Metric, Objectives, SweepSpec, Trial, TrialState, check_sweep_name
from hypersweep.runner import control
from hypersweep.runner.executor import Executor
from hypersweep.runner.executors import make_executor
from hypersweep.runner.plan import RunPlan
from hypersweep.runner.progress import step_bar
from hypersweep.runner.resources import Resources
from hypersweep.runner.run_dirs import runs_root_for, trial_dir
from hypersweep.runner.runner import ATTEMPT_META, TERMINATED, Callback, Runner, RunSummary
from hypersweep.schedulers import Curves, Pruner, pruner_from_spec
from hypersweep.space import Space
from hypersweep.storage import Storage, open_storage
from hypersweep.trial_cache import TrialCache

__all__ = ["Sweep", "best_trial", "copy_sweep", "pareto_front", "restart_trial", "stop_sweep"]

_log = logging.getLogger(__name__)

if TYPE_CHECKING:
    import pandas


class Sweep:
    """A search space, an algorithm and a metric, with trials kept in a store.

    Args:
        space: a ``Space`` or a matrix dict. Omit it with ``Sweep.load``.
        algorithm: a registered name (``"bo"``, ``"tpe"``, ``"smac"``, ``"random"``, ``"grid"``, ...),
            an alias (``"random_search"``) or an ``Algorithm``; by default the benchmarks' winner
            (``algorithms.default_algorithm``: ``bo`` for one metric, ``mobo`` with several metrics
            or constraints). The sweep stores the registered name, so loading it later never
            switches algorithm when the default or an alias changes.
        metric: a ``Metric`` or a metric name (minimized), or a list of them for a
            multi-objective sweep (``[hs.Metric("error", "minimize"), hs.Metric("latency_ms", "minimize")]``):
            ``tell`` then takes a dict with each, and ``best_trials`` is the answer.
        constraints: limits on reported metrics (``hs.Constraint("memory_mb", max=512)`` or
            ``{"metric": "memory_mb", "max": 512}``); a trial outside them is kept, marked
            infeasible (``trial.feasible``), and never best.
        storage: None (in memory), a SQLite path, a SQLAlchemy URL or a ``Storage``.
        name: the sweep's name in the store; an existing sweep of that name is continued when
            its space, metric, algorithm, seed and pruner match the stored ones, and refused with
            ``SweepExistsError`` naming what differs when not.
        seed: seeds the algorithm; the same seed gives the same suggestions. By default a new sweep
            gets a fresh random seed (stored with it, so resuming stays deterministic) and an
            existing one continues with its stored seed.
        options: the algorithm's settings, same keys as its block in a sweep file.
        pruner: stops unpromising trials from their intermediate reports
            (``hs.MedianPruner()``, ``PercentilePruner``, ``ThresholdPruner``, ``PatiencePruner``);
            stored with the sweep (``pruner.spec()``), so ``Sweep.load`` prunes the same way.
        progress: show a progress bar of work done while creating the sweep (``generative``'s
            ``from_sweeps`` meta-training); ``run(progress=...)`` is the bar of the trials.
    """

    def __init__(
        self,
        space: Space | Mapping[str, Any],
        *,
        algorithm: str | Algorithm | None = None,
        metric: Metric | str | Sequence[Metric | str | Mapping[str, Any]] = "value",
        constraints: Sequence[Constraint | Mapping[str, Any]] = (),
        storage: str | Path | Storage | None = None,
        name: str | None = None,
        seed: int | None = None,
        options: Mapping[str, Any] | None = None,
        pruner: Pruner | None = None,
        progress: bool = True,
    ) -> None:
        name = _fresh_name() if name is None else check_sweep_name(name)
        self.space = space if isinstance(space, Space) else Space.from_matrix(space)
        self.objectives = Objectives.from_input(metric, constraints)
        self.metric = self.objectives.metrics[0]
        if pruner is not None and self.objectives.is_multi:
            raise SpecError("pruner: pruners read one reported value per step; a multi-objective sweep takes none")
        chosen = algorithms.default_algorithm(self.objectives) if algorithm is None else algorithm
        given_seed = None if seed is None else _checked_seed(seed)
        self.algorithm = make_algorithm(
            chosen, self.space, direction=self.metric.direction, seed=_fresh_seed() if given_seed is None else given_seed,
            options=options, objectives=self.objectives,
        )
        wanted = SweepSpec(
            name=name,
            space=self.space.to_matrix(),
            metric=self.metric,
            algorithm=self.algorithm.name,  # the registered name, never an alias or "the default"
            options=dict(options or self.algorithm.settings()),
            seed=self.algorithm.seed if given_seed is None else given_seed,
            pruner=None if pruner is None else pruner.spec(),
            metrics=self.objectives.metrics,
            constraints=self.objectives.constraints,
        )
        self.storage = open_storage(_checked_storage(storage))  # only once the definition is valid
        bar = functools.partial(step_bar, shown=progress)
        context = CreationContext(self.storage, name, runs_root_for(self.storage) / name, bar)
        wanted = replace(wanted, options=self.algorithm.resolve_options(wanted.options, context))
        self.spec = _create_or_match(self.storage, wanted, seed_given=given_seed is not None)
        if self.spec.seed != self.algorithm.seed:  # an existing sweep continues with its stored seed
            if isinstance(chosen, Algorithm):
                chosen.seed = self.spec.seed
            else:
                self.algorithm = make_algorithm(
                    chosen, self.space, direction=self.metric.direction, seed=self.spec.seed, options=wanted.options,
                    objectives=self.objectives,
                )
        self._cache = TrialCache(self.storage, self.spec.name)
        self._told = 0  # finished trials handed to the algorithm so far (a cache position)
        self._waiting = False
        self.pruner = pruner
        self._curves = Curves()
        self._curves_seen = 0
        self.worker = f"{socket.gethostname()}:{os.getpid()}"

    @classmethod
    def load(cls, name: str, *, storage: str | Path | Storage) -> "Sweep":
        """Continue a stored sweep with the space, algorithm, options, metric, seed and pruner it was made with."""
        store = open_storage(storage, create=False)
        spec = store.get_sweep(name)
        return cls(
            Space.from_matrix(spec.space),
            algorithm=spec.algorithm,
            metric=list(spec.metrics),
            constraints=spec.constraints,
            storage=store,
            name=spec.name,
            seed=spec.seed,
            options=stored_options(spec.algorithm, spec.options),
            pruner=None if spec.pruner is None else pruner_from_spec(spec.pruner),
        )

    @property
    def name(self) -> str:
        return self.spec.name

    # -- ask / report / tell -----------------------------------------------------------------
    def ask(
        self, *, max_trials: int | None = None, max_resource: float | None = None, queued_only: bool = False
    ) -> Trial | None:
        """Start the next trial: a queued one first (re-queued, restarted, enqueued), else a new suggestion.

        Returns None when the algorithm has nothing left to propose (grid done, budget spent),
        or, with ``waiting`` True, nothing until a running trial finishes. ``max_trials`` caps
        the sweep's total number of trials (a cap every process shares, like the algorithm's own
        budget); ``max_resource`` caps the resource units the sweep's trials train (epochs of a
        multi-fidelity algorithm's budgets, a resumed trial counting only its new part: see
        ``algorithms/multifidelity/cost.py``); ``queued_only`` claims a queued trial but never
        creates one.
        """
        if max_resource is not None and self.algorithm.resource is None:
            raise HypersweepError(
                f"max_resource: algorithm {self.algorithm.name!r} gives its trials no budget; use a multi-fidelity "
                "algorithm (e.g. algorithm='multifidelity') or cap the trials with max_trials / n_trials"
            )
        self._waiting = False
        claimed = self.storage.claim_waiting_trial(self.name, worker=self.worker)
        if claimed is not None:
            self._cache.note(claimed)
            return claimed
        if queued_only:
            return None
        while True:
            pending = self._cache.sync()
            budget = min((b for b in (self.algorithm.budget, max_trials) if b is not None), default=None)
            if budget is not None and self._cache.n_finished + len(pending) >= budget:
                return None
            if max_resource is not None and self._resource_spent(pending) >= max_resource:
                return None
            finished, self._told = self._cache.finished_since(self._told)
            self.algorithm.tell(finished)
            suggestions = self.algorithm.suggest(1, pending=pending)
            if not suggestions:
                self._waiting = self.algorithm.waiting
                return None
            params = self._validated(suggestions[0].params)
            # create only if no other process created a trial since our sync (no duplicates, budget kept)
            trial = self.storage.create_trial_at(
                self.name,
                params,
                trial_id=self._cache.next_id,
                state=TrialState.RUNNING,
                worker=self.worker,
                meta=suggestions[0].meta,
            )
            if trial is not None:
                self._cache.note(trial)
                return trial
            start = self._cache.next_id  # learn what the other processes created, then ask again
            created = self.storage.get_trials(self.name, ids=range(start, start + 64), with_reports=False)
            self._cache.note_all(created or self.storage.get_trials(self.name, with_reports=False))

    def _resource_spent(self, pending: list[Trial]) -> float:
        """Resource units the sweep's finished and ``pending`` trials train."""
        return resource_spent([*self._cache.finished, *pending], self.algorithm.resource.name)  # type: ignore[union-attr]

    @property
    def waiting(self) -> bool:
        """True when the last ``ask`` returned None only because the algorithm waits for the
        results of running trials (a rung of successive halving): ask again after one finishes."""
        return self._waiting

    def _validated(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """The space's params normalised, plus the multi-fidelity budget under its resource name."""
        resource = self.algorithm.resource
        if resource is None:
            return self.space.validate(params)
        budget = params[resource.name]
        checked = self.space.validate({k: v for k, v in params.items() if k != resource.name})
        checked[resource.name] = budget
        return checked

    def report(self, trial: Trial | int, step: int, value: float) -> bool:
        """Record an intermediate value of a running trial; True when the pruner says stop."""
        trial_id = _trial_id(trial)
        self.storage.add_report(self.name, trial_id, step, value)  # refuses a bad step or value
        step, value = int(step), float(value)
        if self.pruner is None:
            return False
        self._curves.add(trial_id, step, value)
        finished, self._curves_seen = self._cache.finished_since(self._curves_seen)
        self._curves.add_finished(finished)
        return self.pruner.should_stop(trial_id, step, value, self._curves, self.metric.direction)

    def tell(self, trial: Trial | int, result: Any) -> Trial:
        """Finish a trial with a float, a dict of metrics, ``hs.Failed(reason)`` or an exception.

        A multi-objective sweep takes a dict with every metric; constraint metrics go in the same
        dict and decide ``trial.feasible``. A result that is not a finite number (NaN, inf, None,
        a dict without a metric) fails the trial with the reason stored, rather than raising; text (``"0.3"``) is refused
        with ``InvalidRecordError`` and the trial stays running.
        """
        if isinstance(result, (str, bytes)):
            raise InvalidRecordError(
                f"tell: result must be a number, a dict of metrics, hs.Failed(reason) or an exception; got {result!r}"
            )
        outcome = outcome_of(result, self.objectives)
        done = self.storage.finish_trial(
            self.name,
            _trial_id(trial),
            outcome.state,
            value=outcome.value,
            metrics=outcome.metrics,
            error=outcome.error,
            feasible=outcome.feasible,
        )
        self._cache.note(done)
        return done

    # -- results -----------------------------------------------------------------------------
    @property
    def trials(self) -> list[Trial]:
        """All trials with their reports, by id."""
        return self.storage.get_trials(self.name)

    @property
    def best(self) -> Trial | None:
        """The completed, feasible trial with the best value (earliest on ties), or None.

        A multi-objective sweep has no single best: it raises ``MultiObjectiveError``; read
        ``best_trials`` (the Pareto front) instead."""
        if self.objectives.is_multi:
            raise MultiObjectiveError(
                f"sweep {self.name!r} optimizes {len(self.objectives.metrics)} metrics; "
                "use sweep.best_trials (the Pareto front) instead of sweep.best"
            )
        return best_trial(self.completed_trials(), self.metric)

    @property
    def best_trials(self) -> list[Trial]:
        """The Pareto front: completed, feasible trials no other such trial dominates, by id
        (for one metric: the best trial and any that tie with it)."""
        return pareto_front(self.completed_trials(), self.objectives)

    def to_dataframe(self) -> "pandas.DataFrame":
        """One row per trial: id, state, value, params as ``params.NAME``, metrics, times, error."""
        from hypersweep.export import trials_to_dataframe

        return trials_to_dataframe(self.trials)

    def plot(self, path: str | Path, *, title: str | None = None) -> Path:
        """Write the optimization history (values and best so far) to a PNG at ``path``; for several
        metrics, the Pareto front and the hypervolume over trials."""
        from hypersweep.viz import history_series, plot_history, plot_pareto

        if self.objectives.is_multi:
            return plot_pareto(self.trials, self.objectives, path, title=title or f"{self.name}: Pareto front")

        series = history_series(self.storage.get_trials(self.name), self.metric.direction)
        return plot_history({self.name: series}, self.metric, path, title=title or f"{self.name}: optimization history")

    def run(
        self,
        objective: Callable[..., Any],
        *,
        n_trials: int | None = None,
        max_resource: float | None = None,
        concurrency: int = 1,
        timeout: float | None = None,
        trial_timeout: float | None = None,
        progress: bool = True,
        callbacks: Sequence[Callback] = (),
        max_retries: int = 0,
        heartbeat_grace: float = 120.0,
        executor: str | Executor | None = None,
        resources: Resources | Mapping[str, Any] | None = None,
    ) -> RunSummary:
        """Run ``objective(params)`` or ``objective(params, trial)`` for ``n_trials`` more trials,
        or (multi-fidelity algorithms) until the sweep's trials have trained ``max_resource``
        resource units in all (epochs: a resumed trial counts only its new epochs), whichever
        comes first; give at least one of the two.

        Trials run ``concurrency`` at a time on ``executor``: ``"process"`` (the default: worker
        processes of this machine), ``"ray"``, ``"dask"``, or an executor object such as
        ``hs.RayExecutor(address="auto")`` or ``hs.DaskExecutor("tcp://host:8786")``; with
        ``"ray"`` or ``"dask"``, ``resources`` (``{"cpus": 1, "gpus": 0, "memory_mb": 2048}``) is
        what each trial asks of the cluster. An exception or a non-finite result fails that trial
        and the sweep goes on. ``timeout`` (seconds) stops starting new trials; ``trial_timeout``
        (seconds) kills a trial that runs longer and fails it. ``callbacks`` are each called as
        ``callback(sweep, trial)`` after every finished trial. A trial whose worker died, or
        whose heartbeat was lost for ``heartbeat_grace`` seconds, fails and is retried up to
        ``max_retries`` times. Ctrl-C stops cleanly: running trials are re-queued with their params
        and the next ``run`` (or ``ask``) picks them up first; SIGTERM does the same, then exits
        the process with status 143. A stop request (``hypersweep stop``) made before this call
        is cleared; one made during it ends it once running trials finish.
        """
        if n_trials is None and max_resource is None:
            raise HypersweepError("n_trials: give n_trials (trials to run) or max_resource (resource units to spend)")
        plan = RunPlan(
            n_trials=n_trials,
            max_resource=max_resource,
            concurrency=concurrency,
            timeout=timeout,
            trial_timeout=trial_timeout,
            max_retries=max_retries,
            heartbeat_grace=heartbeat_grace,
            runs_root=str(runs_root_for(self.storage)),
        )
        runner = Runner(self, make_executor(executor, resources), plan, callbacks=callbacks, progress=progress)
        control.clear_stop(self.storage, self.name)
        summary = runner.run(objective)
        if summary.stop_reason == TERMINATED:
            _log.warning("SIGTERM: %d running trial(s) re-queued; run again to continue them", summary.requeued)
            raise SystemExit(143)
        return summary

    def enqueue(self, params: Mapping[str, Any]) -> Trial:
        """Queue ``params`` to be tried before any new suggestion (checked against the space).

        In a multi-fidelity sweep, give the budget under the resource name too.
        """
        resource = self.algorithm.resource
        if resource is not None and isinstance(params, Mapping) and resource.name not in params:
            raise ParamsError(f"params: missing {resource.name!r}, the budget {self.algorithm.name!r} gives each trial")
        trial = self.storage.create_trial(self.name, self._validated(params), state=TrialState.WAITING)
        self._cache.note(trial)
        return trial

    # -- what the Runner needs besides ask / report / tell -----------------------------------
    def retry(self, trial: Trial | int, reason: str, *, max_retries: int) -> tuple[Trial, Trial | None]:
        """Fail a trial that was lost (its worker died) and, while its ``meta["attempt"]`` is below
        ``max_retries``, queue a retry with the same params and meta. Returns both (retry or None)."""
        done = self.tell(trial, Failed(reason))
        attempt = int(done.meta.get(ATTEMPT_META, 0))
        if attempt >= max_retries:
            return done, None
        meta = {**done.meta, ATTEMPT_META: attempt + 1}
        retry = self.storage.create_trial(self.name, dict(done.params), state=TrialState.WAITING, meta=meta)
        self._cache.note(retry)
        return done, retry

    def requeue(self, trial: Trial | int) -> Trial:
        """Put a running trial back in the queue with its params (its reports are dropped)."""
        return self.storage.requeue_trial(self.name, _trial_id(trial))

    def keep_alive(
        self, holding: Iterable[int], *, heartbeat_grace: float, max_retries: int
    ) -> tuple[list[int], list[tuple[int, int | None]]]:
        """Renew the heartbeats of the trials in ``holding``, then reap trials whose heartbeat is
        older than ``heartbeat_grace`` (never one just renewed); see ``runner.control.keep_alive``."""
        return control.keep_alive(
            self.storage, self.name, holding, heartbeat_grace=heartbeat_grace, max_retries=max_retries
        )

    def recover_orphans(self) -> list[int]:
        """Re-queue running trials whose runner on this host is dead; returns their ids."""
        return control.recover_orphans(self.storage, self.name)

    def stop_requested(self) -> str | None:
        """Why a stop was requested (``hypersweep stop``), or None."""
        return control.stop_requested(self.storage, self.name)

    def completed_trials(self) -> list[Trial]:
        """The completed trials, without their reports."""
        return self.storage.get_trials(self.name, states=[TrialState.COMPLETED], with_reports=False)

    def __repr__(self) -> str:
        return f"Sweep(name={self.name!r}, algorithm={self.algorithm.name!r}, metric={self.metric})"


def _trial_id(trial: Trial | int) -> int:
    return trial if isinstance(trial, int) else trial.id


def _fresh_name() -> str:
    return f"sweep-{uuid.uuid4().hex[:8]}"


def _fresh_seed() -> int:
    """A random seed for a sweep created without one (stored with it)."""
    return secrets.randbelow(2**32)


def _checked_seed(seed: Any) -> int:
    """An integer seed in [0, 2**63); ``SpecError`` otherwise (a float or a string is not rounded)."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or not 0 <= int(seed) < 2**63:
        raise SpecError(f"seed: must be an integer between 0 and 2**63 - 1; got {seed!r}")
    return int(seed)


def _checked_storage(storage: Any) -> str | Path | Storage | None:
    """``storage`` when it can name a store (None, a path, a URL, a ``Storage``)."""
    if storage is not None and not isinstance(storage, (str, Path, Storage)):
        raise SpecError(
            f"storage: must be None (in memory), a SQLite path, a database URL or a Storage; got {storage!r}"
        )
    return storage


def _create_or_match(storage: Storage, wanted: SweepSpec, *, seed_given: bool = True) -> SweepSpec:
    """Create the sweep, or return the stored one when its definition matches ``wanted``.

    Without ``seed_given``, the stored sweep's seed is taken whatever ``wanted.seed`` is.

    The definition is the space, metric, algorithm, seed and pruner (compared as rebuilt, so a
    stored ``{"median": {}}`` matches ``MedianPruner().spec()``); options may differ (e.g. a larger
    budget when continuing).
    """
    try:
        return storage.create_sweep(wanted)
    except SweepExistsError:
        pass
    try:
        stored = storage.get_sweep(wanted.name)
    except SweepNotFoundError:  # deleted in between: try once more
        return storage.create_sweep(wanted)
    differences = [
        field
        for field, a, b in (
            ("space", stored.space, wanted.space),
            ("metric", stored.metrics, wanted.metrics),
            ("constraints", stored.constraints, wanted.constraints),
            ("algorithm", stored.algorithm, wanted.algorithm),
            ("seed", stored.seed, wanted.seed if seed_given else stored.seed),
            ("pruner", _rebuilt(stored.pruner), _rebuilt(wanted.pruner)),
        )
        if a != b
    ]
    if differences:
        raise SweepExistsError(
            f"sweep {wanted.name!r} already exists with a different {', '.join(differences)}; "
            f"use another name, or Sweep.load({wanted.name!r}, storage=...) to continue it",
            tuple(differences),
        )
    return stored


def _rebuilt(pruner: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A stored pruner definition with every option spelled out (None: no pruner)."""
    return None if pruner is None else pruner_from_spec(pruner).spec()


# -- managing stored sweeps (CLI: stop, restart, copy) ---------------------------------------
def stop_sweep(name: str, *, storage: str | Path | Storage, reason: str = "stopped by user") -> None:
    """Ask every runner of sweep ``name`` to finish its running trials and start no new one.

    ``hypersweep resume NAME`` (or ``run`` again) clears the flag and continues.
    """
    store = open_storage(storage, create=False)
    store.get_sweep(name)
    control.request_stop(store, name, reason)


def mark_resumable(name: str, *, storage: str | Path | Storage) -> None:
    """Clear the stop flag of sweep ``name``, so its runners and workers continue (``resume``)."""
    store = open_storage(storage, create=False)
    store.get_sweep(name)
    control.clear_stop(store, name)


def trial_folder(name: str, trial_id: int, *, storage: str | Path | Storage) -> Path:
    """Where trial ``trial_id`` of sweep ``name`` keeps its logs and files (it may not exist)."""
    return trial_dir(runs_root_for(open_storage(storage, create=False)), name, trial_id)


def restart_trial(name: str, trial_id: int, *, storage: str | Path | Storage) -> Trial:
    """Queue a new WAITING trial with the params of trial ``trial_id``; the next ``ask`` runs it."""
    store = open_storage(storage, create=False)
    source = store.get_trial(name, trial_id)
    return store.create_trial(name, dict(source.params), state=TrialState.WAITING, meta=source.meta)


def copy_sweep(
    name: str,
    to: str,
    *,
    storage: str | Path | Storage,
    algorithm: str | None = None,
    options: Mapping[str, Any] | None = None,
    seed: int | None = None,
) -> "Sweep":
    """Warm-start sweep ``to`` from ``name``: same space and metric, its finished trials copied.

    ``algorithm``/``options``/``seed`` default to the source's, and the pruner is the source's.
    Copied trials keep their params, state, value, metrics, error and reports (with new ids, in
    the same order) and count towards the new sweep's budget; ``trial.copied_from`` names the
    original (sweep, trial id, duration).
    """
    store = open_storage(storage, create=False)
    source = store.get_sweep(name)
    try:
        store.get_sweep(to)
    except SweepNotFoundError:
        pass
    else:
        raise SweepExistsError(f"sweep {to!r}: already exists; pick another name for the copy or delete that sweep first")
    definition: dict[str, Any] = dict(
        algorithm=algorithm or source.algorithm,
        metric=list(source.metrics),
        constraints=source.constraints,
        storage=store,
        name=to,
        seed=source.seed if seed is None else seed,
        options=options if options is not None or algorithm else stored_options(source.algorithm, source.options),
        pruner=None if source.pruner is None else pruner_from_spec(source.pruner),
    )
    Sweep(Space.from_matrix(source.space), **definition)  # creates the sweep record
    new_ids: dict[int, int] = {}
    try:
        for trial in store.get_trials(name):
            if not trial.is_finished:
                continue
            meta = {**_renumbered(trial.meta, new_ids),
                    COPIED_FROM: trial.copied_from or {"sweep": name, "trial": trial.id, "duration": trial.duration}}
            copy = store.create_trial(to, dict(trial.params), state=TrialState.RUNNING, worker="copy", meta=meta)
            new_ids[trial.id] = copy.id
            for report in trial.reports:
                store.add_report(to, copy.id, report.step, report.value)
            store.finish_trial(
                to, copy.id, trial.state, value=trial.value, metrics=trial.metrics, error=trial.error, feasible=trial.feasible
            )
    except BaseException:
        store.delete_sweep(to)  # no half-made copy is left behind
        raise
    return Sweep(Space.from_matrix(source.space), **definition)  # a fresh view that knows the copies


def _renumbered(meta: Mapping[str, Any], new_ids: Mapping[int, int]) -> dict[str, Any]:
    """A copied trial's meta with its ``parent`` pointing at the parent's copy (dropped if not copied)."""
    out = dict(meta)
    if "parent" in out:
        parent = new_ids.get(out.pop("parent"))
        if parent is not None:
            out["parent"] = parent
    return out
