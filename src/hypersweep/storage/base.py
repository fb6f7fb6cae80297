"""The storage contract every backend (memory, SQLite, PostgreSQL) fulfils.

Invariants (checked by ``hypersweep.testing.storage_suite``):
- every call is one transaction: it happens entirely or not at all;
- trial ids are unique within a sweep and count 0, 1, 2, ... in creation order,
  also when many processes create trials at once;
- state moves only WAITING -> RUNNING -> {COMPLETED, PRUNED, FAILED}, or RUNNING -> WAITING
  (re-queue, which drops the interrupted run's reports); a finished trial never changes again,
  and finishing it twice raises ``TrialStateError``;
- reports are accepted only while a trial is RUNNING; one value per (trial, step), a later
  report for the same step replaces the earlier one;
- ``claim_waiting_trial`` hands each waiting trial to exactly one caller;
- failures of the backend surface as ``StorageError`` (never as "database is locked");
- params, sweep spaces and options are stored as JSON: what comes back is the JSON round trip
  (tuples become lists, numpy scalars become Python numbers); non-JSON data, non-string keys and
  non-finite numbers raise ``InvalidRecordError`` before anything is written. Final values,
  metrics and report values must be finite numbers;
- a missing sweep raises ``SweepNotFoundError``, a missing trial ``TrialNotFoundError``;
- ``list_sweeps`` counts carry every ``TrialState`` (0 where none); ``best_value`` is the best
  COMPLETED value in the metric's direction;
- records returned are snapshots: mutating them never changes the store; datetimes are
  timezone-aware UTC.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime
from typing import Any

from hypersweep.records import Params, SweepSpec, SweepSummary, Trial, TrialState


class Storage(ABC):
    """Durable home of sweeps and their trials. Safe to share between threads."""

    # -- sweeps ---------------------------------------------------------------------------
    @abstractmethod
    def create_sweep(self, spec: SweepSpec) -> SweepSpec:
        """Store a new sweep; raise ``SweepExistsError`` if the name is taken."""

    @abstractmethod
    def get_sweep(self, name: str) -> SweepSpec:
        """Return the stored spec; raise ``SweepNotFoundError`` if absent."""

    @abstractmethod
    def list_sweeps(self) -> list[SweepSummary]:
        """All sweeps, oldest first, with trial counts per state and best completed value."""

    @abstractmethod
    def delete_sweep(self, name: str) -> None:
        """Remove a sweep with its trials and reports; raise ``SweepNotFoundError`` if absent."""

    # -- trials ---------------------------------------------------------------------------
    @abstractmethod
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

    @abstractmethod
    def claim_waiting_trial(self, sweep: str, *, worker: str | None = None) -> Trial | None:
        """Atomically move the oldest WAITING trial to RUNNING and return it (None if none)."""

    @abstractmethod
    def requeue_trial(self, sweep: str, trial_id: int) -> Trial:
        """Move a RUNNING trial back to WAITING with the same params, dropping its reports."""

    @abstractmethod
    def add_report(self, sweep: str, trial_id: int, step: int, value: float) -> None:
        """Record an intermediate value; raise ``TrialStateError`` unless the trial is RUNNING."""

    @abstractmethod
    def heartbeat(self, sweep: str, trial_id: int) -> None:
        """Refresh a RUNNING trial's heartbeat time."""

    @abstractmethod
    def finish_trial(
        self,
        sweep: str,
        trial_id: int,
        state: TrialState,
        *,
        value: float | None = None,
        metrics: Mapping[str, float] | None = None,
        error: str | None = None,
    ) -> Trial:
        """Move a WAITING/RUNNING trial to a finished state; ``TrialStateError`` if already finished."""

    @abstractmethod
    def get_trial(self, sweep: str, trial_id: int) -> Trial:
        """One trial with its reports; ``KeyError``-like ``StorageError`` if absent."""

    @abstractmethod
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

    # -- sweep attributes and recovery (schema v2; not abstract so older backends still load) --
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
        caller read the history); None otherwise. Lets several processes ask without duplicates.

        This default is not atomic; the memory and SQL backends override it.
        """
        if len(self.get_trials(sweep, with_reports=False)) != trial_id:
            return None
        return self.create_trial(sweep, params, state=state, worker=worker, meta=meta)

    def set_sweep_attr(self, sweep: str, key: str, value: Any) -> None:
        """Store the JSON ``value`` under ``key`` for ``sweep`` (None removes the key)."""
        raise NotImplementedError(f"{type(self).__name__} does not store sweep attributes")

    def get_sweep_attrs(self, sweep: str) -> dict[str, Any]:
        """All attributes of ``sweep`` (``SweepNotFoundError`` if absent)."""
        raise NotImplementedError(f"{type(self).__name__} does not store sweep attributes")

    def requeue_orphans(self, sweep: str, workers: Collection[str]) -> list[int]:
        """In one transaction, re-queue every RUNNING trial held by one of ``workers`` (known dead).

        Returns the re-queued trial ids. A trial another worker holds is never touched.
        """
        raise NotImplementedError(f"{type(self).__name__} cannot re-queue orphans")

    def reap_stale_trials(
        self, sweep: str, *, stale_before: datetime, max_retries: int, reason: str
    ) -> list[tuple[int, int | None]]:
        """In one transaction, fail every RUNNING trial whose heartbeat is older than ``stale_before``.

        Each gets ``reason`` as its error and, while its attempt number is below ``max_retries``,
        a WAITING retry with the same params and meta (attempt + 1). Returns ``(failed id, retry id or
        None)`` pairs. Two reapers never both act on one trial: the second finds it finished.
        """
        raise NotImplementedError(f"{type(self).__name__} cannot reap stale trials")

    def close(self) -> None:
        """Release connections; the default holds none."""

    def __enter__(self) -> "Storage":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
