"""In-process storage: dictionaries behind one lock; nothing survives the process."""
from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from hypersweep.exceptions import SweepExistsError, SweepNotFoundError, TrialNotFoundError, TrialStateError
from hypersweep.records import Params, Report, SweepSpec, SweepSummary, Trial, TrialChanges, TrialPage, TrialState, TrialValues
from hypersweep.storage import _common as c
from hypersweep.storage.base import Storage


@dataclass
class _TrialRow:
    id: int
    params: Params
    state: TrialState
    created_at: datetime
    value: float | None = None
    metrics: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    reports: dict[int, tuple[float, datetime]] = field(default_factory=dict)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    heartbeat_at: datetime | None = None
    worker: str | None = None
    attempt: int = 0
    meta: dict[str, Any] = field(default_factory=dict)
    changed: int = 0  # the sweep's change number of this trial's latest change
    feasible: bool | None = None
    note: str = ""

    def record(self, *, with_reports: bool = True) -> Trial:
        reports = (
            tuple(Report(step, value, time) for step, (value, time) in sorted(self.reports.items()))
            if with_reports
            else ()
        )
        return Trial(
            id=self.id,
            params=copy.deepcopy(self.params),
            state=self.state,
            value=self.value,
            metrics=dict(self.metrics),
            error=self.error,
            reports=reports,
            created_at=self.created_at,
            started_at=self.started_at,
            finished_at=self.finished_at,
            heartbeat_at=self.heartbeat_at,
            worker=self.worker,
            meta=copy.deepcopy(self.meta),
            feasible=self.feasible,
        )


@dataclass
class _SweepRow:
    spec: SweepSpec
    trials: list[_TrialRow] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)  # JSON text, like the SQL backends
    changes: int = 0  # the last change number handed out
    note: str = ""

    def touch(self, trial: _TrialRow) -> None:
        """Give ``trial`` the sweep's next change number."""
        self.changes += 1
        trial.changed = self.changes


_SORT_KEYS: dict[str, Callable[[_TrialRow], Any]] = {
    "id": lambda t: t.id,
    "value": lambda t: t.value,
    "state": lambda t: t.state.value,
    "created_at": lambda t: t.created_at,
    "started_at": lambda t: t.started_at,
    "finished_at": lambda t: t.finished_at,
}


class MemoryStorage(Storage):
    """Sweeps kept in this process's memory; thread-safe, returns snapshots.

    >>> from hypersweep.records import Metric, SweepSpec
    >>> store = MemoryStorage()
    >>> _ = store.create_sweep(SweepSpec("demo", {"x": {"uniform": [0, 1]}}, Metric("loss")))
    >>> store.create_trial("demo", {"x": 0.5}).id
    0
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._sweeps: dict[str, _SweepRow] = {}

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__name__} sweeps={len(self._sweeps)}>"

    # -- helpers --------------------------------------------------------------------------
    def _sweep(self, name: str) -> _SweepRow:
        try:
            return self._sweeps[name]
        except (KeyError, TypeError):
            raise SweepNotFoundError(f"sweep {name!r}: not found in memory storage") from None

    def _trial(self, sweep: str, trial_id: int) -> _TrialRow:
        row = self._sweep(sweep)
        if 0 <= trial_id < len(row.trials):
            return row.trials[trial_id]
        raise TrialNotFoundError(f"sweep {sweep!r}: no trial with id {trial_id!r}")

    @staticmethod
    def _copy_spec(spec: SweepSpec) -> SweepSpec:
        return replace(
            spec, space=copy.deepcopy(spec.space), options=copy.deepcopy(spec.options), pruner=copy.deepcopy(spec.pruner)
        )

    # -- sweeps ---------------------------------------------------------------------------
    def _create_sweep(self, spec: SweepSpec) -> SweepSpec:
        with self._lock:
            if spec.name in self._sweeps:
                raise SweepExistsError(f"sweep {spec.name!r}: already exists; load it or pick another name")
            self._sweeps[spec.name] = _SweepRow(spec)
            return self._copy_spec(spec)

    def _get_sweep(self, name: str) -> SweepSpec:
        with self._lock:
            return self._copy_spec(self._sweep(name).spec)

    def _list_sweeps(self) -> list[SweepSummary]:
        with self._lock:
            out = []
            for row in sorted(self._sweeps.values(), key=lambda r: r.spec.created_at):  # stable: ties keep creation order
                counts = {state: 0 for state in TrialState}
                for trial in row.trials:
                    counts[trial.state] += 1
                best = c.best_of(
                    (t.value for t in row.trials
                     if t.state is TrialState.COMPLETED and t.value is not None and t.feasible is not False),
                    row.spec.metric.direction,
                )
                stamps = [s for t in row.trials for s in (t.created_at, t.started_at, t.finished_at) if s is not None]
                out.append(
                    SweepSummary(
                        name=row.spec.name,
                        algorithm=row.spec.algorithm,
                        metric=row.spec.metric,
                        counts=counts,
                        best_value=best,
                        created_at=row.spec.created_at,
                        updated_at=max(stamps, default=None),
                    )
                )
            return out

    def _delete_sweep(self, name: str) -> None:
        with self._lock:
            self._sweep(name)
            del self._sweeps[name]

    # -- trials ---------------------------------------------------------------------------
    def _create_trial(
        self, sweep: str, params: Params, *, state: TrialState, worker: str | None, meta: dict[str, Any]
    ) -> Trial:
        with self._lock:
            row = self._sweep(sweep)
            now = c.utcnow()
            running = state is TrialState.RUNNING
            trial = _TrialRow(
                id=len(row.trials),
                params=params,
                state=state,
                created_at=now,
                started_at=now if running else None,
                heartbeat_at=now if running else None,
                worker=worker,
                meta=meta,
            )
            row.trials.append(trial)
            row.touch(trial)
            return trial.record()

    def _create_trial_at(
        self, sweep: str, params: Params, *, trial_id: int, state: TrialState, worker: str | None, meta: dict[str, Any]
    ) -> Trial | None:
        with self._lock:  # re-entrant: the check and the creation happen under one hold
            if len(self._sweep(sweep).trials) != trial_id:
                return None
            return self._create_trial(sweep, params, state=state, worker=worker, meta=meta)

    def _claim_waiting_trial(self, sweep: str, *, worker: str | None) -> Trial | None:
        with self._lock:
            for trial in self._sweep(sweep).trials:
                if trial.state is TrialState.WAITING:
                    now = c.utcnow()
                    trial.state = TrialState.RUNNING
                    trial.started_at = now
                    trial.heartbeat_at = now
                    trial.worker = worker
                    self._sweep(sweep).touch(trial)
                    return trial.record()
            return None

    def _requeue_trial(self, sweep: str, trial_id: int) -> Trial:
        with self._lock:
            trial = self._trial(sweep, trial_id)
            if trial.state is not TrialState.RUNNING:
                raise TrialStateError(
                    f"sweep {sweep!r} trial {trial.id}: only a running trial can be re-queued; it is {trial.state.value}"
                )
            trial.state = TrialState.WAITING
            trial.reports.clear()
            trial.started_at = trial.heartbeat_at = None
            trial.worker = None
            self._sweep(sweep).touch(trial)
            return trial.record()

    def _add_report(self, sweep: str, trial_id: int, step: int, value: float) -> None:
        with self._lock:
            trial = self._trial(sweep, trial_id)
            if trial.state is not TrialState.RUNNING:
                raise TrialStateError(
                    f"sweep {sweep!r} trial {trial.id}: reports are accepted only while running; it is {trial.state.value}"
                )
            trial.reports[step] = (value, c.utcnow())
            self._sweep(sweep).touch(trial)

    def _heartbeat(self, sweep: str, trial_id: int) -> None:
        with self._lock:
            trial = self._trial(sweep, trial_id)
            if trial.state is not TrialState.RUNNING:
                raise TrialStateError(
                    f"sweep {sweep!r} trial {trial.id}: heartbeat needs a running trial; it is {trial.state.value}"
                )
            trial.heartbeat_at = c.utcnow()

    def _finish_trial(
        self, sweep: str, trial_id: int, state: TrialState, *, value: float | None,
        metrics: dict[str, float], error: str | None, feasible: bool | None = None,
    ) -> Trial:
        with self._lock:
            trial = self._trial(sweep, trial_id)
            if trial.state.is_finished:
                raise TrialStateError(
                    f"sweep {sweep!r} trial {trial.id}: already finished as {trial.state.value}; "
                    "a finished trial cannot change"
                )
            trial.state = state
            trial.value = value
            trial.metrics = metrics
            trial.error = error
            trial.feasible = feasible
            trial.finished_at = c.utcnow()
            self._sweep(sweep).touch(trial)
            return trial.record()

    def _get_trial(self, sweep: str, trial_id: int) -> Trial:
        with self._lock:
            return self._trial(sweep, trial_id).record()

    def _get_trials(
        self, sweep: str, *, states: tuple[TrialState, ...] | None, with_reports: bool, ids: tuple[int, ...] | None
    ) -> list[Trial]:
        with self._lock:
            trials = self._sweep(sweep).trials
            if ids is not None:
                trials = [trials[i] for i in ids if 0 <= i < len(trials)]
            return [t.record(with_reports=with_reports) for t in trials if states is None or t.state in states]

    def _get_trials_changed(self, sweep: str, *, after: int, limit: int, with_reports: bool) -> TrialChanges:
        with self._lock:
            changed = sorted((t for t in self._sweep(sweep).trials if t.changed > after), key=lambda t: t.changed)
            page = changed[:limit]
            cursor = page[-1].changed if page else after
            trials = tuple(t.record(with_reports=with_reports) for t in page)
            return TrialChanges(trials, cursor, more=len(changed) > limit)

    def _get_trial_page(
        self, sweep: str, *, states: tuple[TrialState, ...] | None, order_by: str, descending: bool,
        offset: int, limit: int,
    ) -> TrialPage:
        with self._lock:
            chosen = [t for t in self._sweep(sweep).trials if states is None or t.state in states]
            key = _SORT_KEYS[order_by]
            known = sorted((t for t in chosen if key(t) is not None), key=key, reverse=descending)  # stable: ties by id
            ordered = known + [t for t in chosen if key(t) is None]
            page = ordered[offset:offset + limit]
            return TrialPage(tuple(t.record(with_reports=False) for t in page), len(chosen))

    def _get_trial_values(self, sweep: str) -> TrialValues:
        with self._lock:
            row = self._sweep(sweep)
            trials = row.trials
            return TrialValues(tuple(t.id for t in trials), tuple(t.state for t in trials),
                               tuple(t.value for t in trials), row.changes)

    # -- notes ------------------------------------------------------------------------------
    def _set_note(self, sweep: str, trial: int | None, text: str) -> None:
        with self._lock:
            holder = self._sweep(sweep) if trial is None else self._trial(sweep, trial)
            holder.note = text

    def _get_note(self, sweep: str, trial: int | None) -> str:
        with self._lock:
            return (self._sweep(sweep) if trial is None else self._trial(sweep, trial)).note

    def _get_trial_notes(self, sweep: str) -> dict[int, str]:
        with self._lock:
            return {t.id: t.note for t in self._sweep(sweep).trials if t.note}

    # -- attributes and recovery ----------------------------------------------------------
    def _set_sweep_attr(self, sweep: str, key: str, text: str | None) -> None:
        with self._lock:
            row = self._sweep(sweep)
            if text is None:
                row.attrs.pop(key, None)
            else:
                row.attrs[key] = text

    def _get_sweep_attrs(self, sweep: str) -> dict[str, str]:
        with self._lock:
            return dict(self._sweep(sweep).attrs)

    def _requeue_orphans(self, sweep: str, workers: tuple[str, ...]) -> list[int]:
        with self._lock:
            orphans = [t.id for t in self._sweep(sweep).trials if t.state is TrialState.RUNNING and t.worker in workers]
            for trial_id in orphans:
                self._requeue_trial(sweep, trial_id)
            return orphans

    def _reap_stale_trials(
        self, sweep: str, *, stale_before: datetime, max_retries: int, reason: str | None
    ) -> list[tuple[int, int | None]]:
        with self._lock:
            row = self._sweep(sweep)
            out: list[tuple[int, int | None]] = []
            for trial in list(row.trials):
                beat = trial.heartbeat_at or trial.started_at
                if trial.state is not TrialState.RUNNING or beat is None or beat >= stale_before:
                    continue
                self._finish_trial(sweep, trial.id, TrialState.FAILED, value=None, metrics={}, error=reason)
                retry = None
                if trial.attempt < max_retries:
                    params, meta = copy.deepcopy(trial.params), copy.deepcopy(trial.meta)
                    retry = self._create_trial(sweep, params, state=TrialState.WAITING, worker=None, meta=meta).id
                    row.trials[retry].attempt = trial.attempt + 1
                out.append((trial.id, retry))
            return out
