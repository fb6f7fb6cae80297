"""What a run checks between trials: the stop flag, early-stopping thresholds, dead workers.

- ``stop NAME`` sets the sweep attribute ``stop``; runners finish their running trials and
  start no new one. ``resume`` clears it.
- Early stopping: once a completed trial reaches any threshold, no new trial starts.
- Recovery: at start, RUNNING trials held by dead processes of this host (a runner killed
  with ``kill -9``) are re-queued with the same params; every heartbeat period, RUNNING trials
  whose heartbeat is older than the grace period (any host) are failed and retried.
"""
from __future__ import annotations

import logging
import os
import socket
from collections.abc import Sequence
from datetime import timedelta
from typing import Protocol

from hypersweep.exceptions import StorageError
from hypersweep.records import TrialState
from hypersweep.storage import Storage
from hypersweep.storage._common import utcnow

log = logging.getLogger(__name__)

STOP_ATTR = "stop"


class RunControl(Protocol):
    def before_ask(self) -> str | None:
        """A reason to start no trial at all (a stop request), or None."""

    def before_create(self) -> str | None:
        """A reason to create no new trial (queued ones still run), or None."""

    def tick(self) -> None:
        """Called every heartbeat period (the reaper)."""


class Threshold(Protocol):
    metric: str

    def reached(self, metrics: dict[str, float]) -> bool: ...
    def describe(self) -> str: ...


def request_stop(storage: Storage, sweep: str, reason: str = "stopped by user") -> None:
    """Ask every runner of ``sweep`` to finish its running trials and start no new one."""
    storage.set_sweep_attr(sweep, STOP_ATTR, {"reason": reason, "at": utcnow().isoformat()})


def clear_stop(storage: Storage, sweep: str) -> None:
    storage.set_sweep_attr(sweep, STOP_ATTR, None)


def stop_requested(storage: Storage, sweep: str) -> str | None:
    """The stop reason, or None when no stop was requested."""
    flag = storage.get_sweep_attrs(sweep).get(STOP_ATTR)
    if not flag:
        return None
    return str(flag.get("reason", "stopped")) if isinstance(flag, dict) else "stopped"


def early_stop_reason(storage: Storage, sweep: str, rules: Sequence[Threshold]) -> str | None:
    """``"early stopping: accuracy >= 0.9 reached by trial 7"``, or None."""
    if not rules:
        return None
    for trial in storage.get_trials(sweep, states=[TrialState.COMPLETED], with_reports=False):
        for rule in rules:
            if rule.reached(dict(trial.metrics)):
                return f"early stopping: {rule.describe()} reached by trial {trial.id}"
    return None


def dead_local_workers(workers: Sequence[str | None]) -> list[str]:
    """Worker names ``host:pid`` of this host whose process no longer exists."""
    host = socket.gethostname()
    dead = []
    for worker in set(workers):
        if not worker:
            continue
        name, _, pid = worker.rpartition(":")
        if name != host or not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            dead.append(worker)
        except PermissionError:
            continue
    return dead


def recover_orphans(storage: Storage, sweep: str) -> list[int]:
    """Re-queue RUNNING trials whose runner on this host is dead; returns their ids."""
    running = storage.get_trials(sweep, states=[TrialState.RUNNING], with_reports=False)
    dead = dead_local_workers([t.worker for t in running])
    return storage.requeue_orphans(sweep, dead) if dead else []


class SweepControl:
    """The ``RunControl`` of CLI runs: stop flag, thresholds, orphan recovery and the reaper."""

    def __init__(
        self,
        storage: Storage,
        sweep: str,
        *,
        early_stopping: Sequence[Threshold] = (),
        heartbeat_grace: float = 120.0,
        max_retries: int = 1,
    ) -> None:
        self.storage = storage
        self.sweep = sweep
        self.early_stopping = tuple(early_stopping)
        self.heartbeat_grace = heartbeat_grace
        self.max_retries = max_retries
        self.requeued: list[int] = []
        self.reaped: list[tuple[int, int | None]] = []

    def start(self) -> None:
        """Recover what a crashed run left behind, before the first ask."""
        self.requeued = recover_orphans(self.storage, self.sweep)
        if self.requeued:
            log.info("re-queued trials %s of dead runners", self.requeued)
        self.tick()

    def before_ask(self) -> str | None:
        reason = stop_requested(self.storage, self.sweep)
        return None if reason is None else f"stop requested ({reason})"

    def before_create(self) -> str | None:
        return early_stop_reason(self.storage, self.sweep, self.early_stopping)

    def tick(self) -> None:
        """Reap trials whose heartbeat is older than the grace period."""
        cutoff = utcnow() - timedelta(seconds=self.heartbeat_grace)
        try:
            reaped = self.storage.reap_stale_trials(
                self.sweep,
                stale_before=cutoff,
                max_retries=self.max_retries,
                reason=f"heartbeat lost: no heartbeat for {self.heartbeat_grace:g}s (worker died or hung)",
            )
        except StorageError as exc:
            log.warning("reaper of sweep %s: %s", self.sweep, exc)
            return
        for failed, retry in reaped:
            log.warning("trial %s lost its heartbeat: failed%s", failed, f", retried as {retry}" if retry is not None else "")
        self.reaped.extend(reaped)
