"""The storage contract every backend (memory, SQLite, PostgreSQL) fulfils.

The public methods of ``Storage`` are concrete: each validates its arguments once (with
``storage/_common.py``) and then calls one protected abstract hook (``_create_trial``, ...).
A backend implements every hook; it receives only valid, JSON-normalized data, and a class
missing any hook cannot be instantiated.

Invariants (checked by ``hypersweep.testing.storage_suite``):
- every call is one transaction: it happens entirely or not at all. Each hook is atomic on its
  own, also against other processes: ``create_trial_at`` checks the next id and creates the trial
  in one step, ``claim_waiting_trial`` hands each waiting trial to exactly one caller, and
  ``requeue_orphans`` and ``reap_stale_trials`` act on each trial once however many callers race;
- trial ids are unique within a sweep and count 0, 1, 2, ... in creation order,
  also when many processes create trials at once;
- state moves only WAITING -> RUNNING -> {COMPLETED, PRUNED, FAILED}, or RUNNING -> WAITING
  (re-queue, which drops the interrupted run's reports); a finished trial never changes again,
  and finishing it twice raises ``TrialStateError``;
- reports are accepted only while a trial is RUNNING; one value per (trial, step), a later
  report for the same step replaces the earlier one;
- failures of the backend surface as ``StorageError`` (never as "database is locked");
- params, sweep spaces, options, pruners, meta and attributes are stored as JSON: what comes back
  is the JSON round trip (tuples become lists, numpy scalars become Python numbers); non-JSON
  data, non-string keys and non-finite numbers raise ``InvalidRecordError`` before anything is
  written. Final values, metrics and report values must be finite numbers;
- a missing sweep raises ``SweepNotFoundError``, a missing trial ``TrialNotFoundError``;
- ``list_sweeps`` counts carry every ``TrialState`` (0 where none); ``best_value`` is the best
  COMPLETED value in the metric's direction;
- every change to a trial except a heartbeat (creation, claim, re-queue, report, finish) gives it
  the sweep's next change number, in commit order; ``get_trials_changed(after=cursor)`` returns each
  trial changed since ``cursor`` once, in that order, so a reader polling with the returned cursor
  misses nothing and never re-reads the whole sweep. ``get_trial_page`` sorts (missing values
  last, ties by id) and filters on the store and counts all matches; ``get_trial_values`` reads
  every trial's id, state and value with the cursor of that same snapshot;
- notes (free text per sweep and per trial) are kept apart from results: setting one is not a
  trial change, and an empty note is no note;
- records returned are snapshots: mutating them never changes the store; datetimes are
  timezone-aware UTC.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime
from typing import Any

from hypersweep.records import Params, SweepSpec, SweepSummary, Trial, TrialChanges, TrialPage, TrialState, TrialValues
from hypersweep.storage import _common as c


class Storage(ABC):
    """Durable home of sweeps and their trials. Safe to share between threads."""

    # -- sweeps ---------------------------------------------------------------------------
    def create_sweep(self, spec: SweepSpec) -> SweepSpec:
        """Store a new sweep; raise ``SweepExistsError`` if the name is taken."""
        return self._create_sweep(c.normalize_spec(spec))

    def get_sweep(self, name: str) -> SweepSpec:
        """Return the stored spec; raise ``SweepNotFoundError`` if absent."""
        return self._get_sweep(name)

    def list_sweeps(self) -> list[SweepSummary]:
        """All sweeps, oldest first, with trial counts per state and best completed value."""
        return self._list_sweeps()

    def delete_sweep(self, name: str) -> None:
        """Remove a sweep with its trials, reports and attributes; ``SweepNotFoundError`` if absent."""
        self._delete_sweep(name)

    # -- trials ---------------------------------------------------------------------------
    def create_trial(
        self,
        sweep: str,
        params: Params,
        *,
        state: TrialState = TrialState.RUNNING,
        worker: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> Trial:
        """Create a WAITING or RUNNING trial with the next id of its sweep (``meta``: JSON the
        algorithm keeps with it, e.g. a multi-fidelity budget)."""
        state = c.check_create_state(state)
        stored, stored_meta, worker = c.normalize_params(params), c.normalize_meta(meta), c.check_worker(worker)
        return self._create_trial(sweep, stored, state=state, worker=worker, meta=stored_meta)

    def create_trial_at(
        self,
        sweep: str,
        params: Params,
        *,
        trial_id: int,
        state: TrialState = TrialState.RUNNING,
        worker: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> Trial | None:
        """Create the trial only if its id would be ``trial_id`` (no trial was created since the
        caller read the history); None otherwise. Lets several processes ask without duplicates."""
        number, state = c.check_trial_id(trial_id), c.check_create_state(state)
        stored, stored_meta, worker = c.normalize_params(params), c.normalize_meta(meta), c.check_worker(worker)
        return self._create_trial_at(sweep, stored, trial_id=number, state=state, worker=worker, meta=stored_meta)

    def claim_waiting_trial(self, sweep: str, *, worker: str | None = None) -> Trial | None:
        """Move the oldest WAITING trial to RUNNING and return it (None if none)."""
        return self._claim_waiting_trial(sweep, worker=c.check_worker(worker))

    def requeue_trial(self, sweep: str, trial_id: int) -> Trial:
        """Move a RUNNING trial back to WAITING with the same params, dropping its reports."""
        return self._requeue_trial(sweep, c.check_trial_id(trial_id))

    def add_report(self, sweep: str, trial_id: int, step: int, value: float) -> None:
        """Record an intermediate value; raise ``TrialStateError`` unless the trial is RUNNING."""
        number, step = c.check_trial_id(trial_id), c.check_step(step)
        checked: float = c.check_value(value, field="report value", optional=False)  # type: ignore[assignment]
        self._add_report(sweep, number, step, checked)

    def heartbeat(self, sweep: str, trial_id: int) -> None:
        """Refresh a RUNNING trial's heartbeat time."""
        self._heartbeat(sweep, c.check_trial_id(trial_id))

    def finish_trial(
        self,
        sweep: str,
        trial_id: int,
        state: TrialState,
        *,
        value: float | None = None,
        metrics: Mapping[str, float] | None = None,
        error: str | None = None,
        feasible: bool | None = None,
    ) -> Trial:
        """Move a WAITING/RUNNING trial to a finished state; ``TrialStateError`` if already finished.

        ``feasible`` records whether the trial met the sweep's constraints (None: no constraints)."""
        number, state = c.check_trial_id(trial_id), c.check_finish_state(state)
        return self._finish_trial(
            sweep, number, state, value=c.check_value(value, field="value"),
            metrics=c.check_metrics(metrics), error=c.clean_error(error), feasible=c.check_feasible(feasible),
        )

    def get_trial(self, sweep: str, trial_id: int) -> Trial:
        """One trial with its reports; ``TrialNotFoundError`` if absent."""
        return self._get_trial(sweep, c.check_trial_id(trial_id))

    def get_trials(
        self,
        sweep: str,
        *,
        states: Iterable[TrialState] | None = None,
        with_reports: bool = True,
        ids: Iterable[int] | None = None,
    ) -> list[Trial]:
        """Trials of a sweep ordered by id, optionally only those in ``states`` and ``ids``
        (ids that do not exist are skipped)."""
        wanted, chosen = c.parse_states(states), c.check_ids(ids)
        return self._get_trials(sweep, states=wanted, with_reports=bool(with_reports), ids=chosen)

    def get_trials_changed(
        self, sweep: str, *, after: int = 0, limit: int = c.MAX_PAGE, with_reports: bool = True
    ) -> TrialChanges:
        """Trials changed after cursor ``after`` (0: all), by change, at most ``limit``."""
        cursor = c.check_count(after, field="after")
        return self._get_trials_changed(sweep, after=cursor, limit=c.check_limit(limit), with_reports=bool(with_reports))

    def get_trial_page(
        self,
        sweep: str,
        *,
        states: Iterable[TrialState] | None = None,
        order_by: str = "id",
        descending: bool = False,
        offset: int = 0,
        limit: int = 50,
    ) -> TrialPage:
        """Trials (without reports) in ``states`` sorted by ``order_by`` (one of ``c.ORDER_KEYS``),
        ``limit`` of them from ``offset``, and the number of matching trials."""
        return self._get_trial_page(
            sweep, states=c.parse_states(states), order_by=c.check_order(order_by), descending=bool(descending),
            offset=c.check_count(offset, field="offset"), limit=c.check_limit(limit),
        )

    def get_trial_values(self, sweep: str) -> TrialValues:
        """Every trial's id, state and value, by id, and the change cursor of the same snapshot
        (pass it to ``get_trials_changed`` to follow what changes next)."""
        return self._get_trial_values(sweep)

    # -- notes ------------------------------------------------------------------------------
    def set_note(self, sweep: str, text: str, *, trial: int | None = None) -> None:
        """Set the note of ``sweep`` (or of its trial ``trial``); an empty text removes it."""
        checked: str = c.check_text(text, field="note", optional=False, max_length=c.MAX_NOTE_LENGTH)  # type: ignore[assignment]
        number = None if trial is None else c.check_count(trial, field="trial")
        self._set_note(sweep, number, checked)

    def get_note(self, sweep: str, *, trial: int | None = None) -> str:
        """The note of ``sweep`` (or of its trial ``trial``); "" when there is none."""
        return self._get_note(sweep, None if trial is None else c.check_count(trial, field="trial"))

    def get_trial_notes(self, sweep: str) -> dict[int, str]:
        """Every note on a trial of ``sweep``, by trial id (trials without a note are left out)."""
        return self._get_trial_notes(sweep)

    # -- sweep attributes and recovery ----------------------------------------------------
    def set_sweep_attr(self, sweep: str, key: str, value: Any) -> None:
        """Store the JSON ``value`` under ``key`` for ``sweep`` (None removes the key)."""
        checked: str = c.check_text(key, field="attribute key", optional=False, max_length=c.MAX_NAME_LENGTH)  # type: ignore[assignment]
        text = None if value is None else c.dumps(c.to_jsonable(value, field=f"attribute {checked!r}"))
        self._set_sweep_attr(sweep, checked, text)

    def get_sweep_attrs(self, sweep: str) -> dict[str, Any]:
        """All attributes of ``sweep`` (``SweepNotFoundError`` if absent)."""
        return {key: c.loads(text) for key, text in self._get_sweep_attrs(sweep).items()}

    def requeue_orphans(self, sweep: str, workers: Collection[str]) -> list[int]:
        """Re-queue every RUNNING trial held by one of ``workers`` (known dead); return their ids.

        A trial another worker holds is never touched.
        """
        return self._requeue_orphans(sweep, c.check_workers(workers))

    def reap_stale_trials(
        self, sweep: str, *, stale_before: datetime, max_retries: int, reason: str
    ) -> list[tuple[int, int | None]]:
        """Fail every RUNNING trial whose heartbeat is older than ``stale_before``.

        Each gets ``reason`` as its error and, while its attempt number is below ``max_retries``,
        a WAITING retry with the same params and meta (attempt + 1). Returns ``(failed id, retry id or
        None)`` pairs. Two reapers never both act on one trial: the second finds it finished.
        """
        return self._reap_stale_trials(
            sweep,
            stale_before=c.as_utc(stale_before, field="stale_before"),  # type: ignore[arg-type]
            max_retries=c.check_count(max_retries, field="max_retries"),
            reason=c.clean_error(reason),
        )

    def close(self) -> None:
        """Release connections; the default holds none."""

    def __enter__(self) -> "Storage":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- hooks: each gets validated arguments and runs as one atomic transaction ---------------
    @abstractmethod
    def _create_sweep(self, spec: SweepSpec) -> SweepSpec:
        """Store the normalized ``spec`` unless its name is taken (``SweepExistsError``)."""

    @abstractmethod
    def _get_sweep(self, name: str) -> SweepSpec:
        """The stored spec of ``name``."""

    @abstractmethod
    def _list_sweeps(self) -> list[SweepSummary]:
        """Every sweep's summary, oldest first."""

    @abstractmethod
    def _delete_sweep(self, name: str) -> None:
        """Remove the sweep and everything stored with it."""

    @abstractmethod
    def _create_trial(
        self, sweep: str, params: Params, *, state: TrialState, worker: str | None, meta: dict[str, Any]
    ) -> Trial:
        """Create the trial with the sweep's next id (read and bumped atomically)."""

    @abstractmethod
    def _create_trial_at(
        self, sweep: str, params: Params, *, trial_id: int, state: TrialState, worker: str | None, meta: dict[str, Any]
    ) -> Trial | None:
        """Atomically: create the trial if the sweep's next id is ``trial_id``, else return None."""

    @abstractmethod
    def _claim_waiting_trial(self, sweep: str, *, worker: str | None) -> Trial | None:
        """Atomically move the oldest WAITING trial to RUNNING; never the same trial to two callers."""

    @abstractmethod
    def _requeue_trial(self, sweep: str, trial_id: int) -> Trial:
        """RUNNING -> WAITING, dropping reports, worker and start times."""

    @abstractmethod
    def _add_report(self, sweep: str, trial_id: int, step: int, value: float) -> None:
        """Insert or replace the report of ``step`` while the trial is RUNNING."""

    @abstractmethod
    def _heartbeat(self, sweep: str, trial_id: int) -> None:
        """Set a RUNNING trial's heartbeat to now."""

    @abstractmethod
    def _finish_trial(
        self, sweep: str, trial_id: int, state: TrialState, *, value: float | None,
        metrics: dict[str, float], error: str | None, feasible: bool | None = None,
    ) -> Trial:
        """Move an unfinished trial to the finished ``state`` with its results."""

    @abstractmethod
    def _get_trial(self, sweep: str, trial_id: int) -> Trial:
        """One trial with its reports."""

    @abstractmethod
    def _get_trials(
        self, sweep: str, *, states: tuple[TrialState, ...] | None, with_reports: bool, ids: tuple[int, ...] | None
    ) -> list[Trial]:
        """The sweep's trials by id, filtered by ``states`` and ``ids`` (sorted, unique) when given."""

    @abstractmethod
    def _get_trials_changed(self, sweep: str, *, after: int, limit: int, with_reports: bool) -> TrialChanges:
        """Trials whose change number is above ``after``, by change number, at most ``limit``."""

    @abstractmethod
    def _get_trial_page(
        self, sweep: str, *, states: tuple[TrialState, ...] | None, order_by: str, descending: bool,
        offset: int, limit: int,
    ) -> TrialPage:
        """A sorted, filtered page of trials and the number of matches."""

    @abstractmethod
    def _get_trial_values(self, sweep: str) -> TrialValues:
        """Ids, states and values of every trial by id, and the change cursor, in one snapshot."""

    @abstractmethod
    def _set_note(self, sweep: str, trial: int | None, text: str) -> None:
        """Store the note of the sweep (``trial`` None) or of one of its trials ("" removes it)."""

    @abstractmethod
    def _get_note(self, sweep: str, trial: int | None) -> str:
        """The note of the sweep (``trial`` None) or of one of its trials, "" when none."""

    @abstractmethod
    def _get_trial_notes(self, sweep: str) -> dict[int, str]:
        """The notes of the sweep's trials that have one, by trial id."""

    @abstractmethod
    def _set_sweep_attr(self, sweep: str, key: str, text: str | None) -> None:
        """Store the JSON ``text`` under ``key``; None removes the key."""

    @abstractmethod
    def _get_sweep_attrs(self, sweep: str) -> dict[str, str]:
        """Every attribute of the sweep as JSON text."""

    @abstractmethod
    def _requeue_orphans(self, sweep: str, workers: tuple[str, ...]) -> list[int]:
        """In one transaction, re-queue the RUNNING trials of ``workers``; return their ids in order."""

    @abstractmethod
    def _reap_stale_trials(
        self, sweep: str, *, stale_before: datetime, max_retries: int, reason: str | None
    ) -> list[tuple[int, int | None]]:
        """In one transaction, fail the stale RUNNING trials and queue their retries."""
