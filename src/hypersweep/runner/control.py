"""What a run checks between trials, on the store: the stop flag, early-stopping thresholds,
heartbeats and lost trials. ``api.Sweep`` exposes these to the Runner.

- ``stop NAME`` sets the sweep attribute ``stop``; runners finish their running trials and
  start no new one. ``run`` and ``resume`` clear it.
- Early stopping: once a completed trial reaches any threshold, no new trial is created.
- Recovery: at start, RUNNING trials held by dead processes of this host (a runner killed
  with ``kill -9``) are re-queued with the same params; every heartbeat period, a runner renews
  its trials' heartbeats, then RUNNING trials whose heartbeat is older than the grace period
  (any host) are failed and retried.
"""
from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Protocol

from hypersweep.exceptions import StorageError, TrialStateError
from hypersweep.records import Trial, TrialState
from hypersweep.storage import Storage
from hypersweep.storage._common import utcnow

log = logging.getLogger(__name__)

STOP_ATTR = "stop"


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


def early_stop_reason(completed: Iterable[Trial], rules: Sequence[Threshold]) -> str | None:
    """``"early stopping: accuracy >= 0.9 reached by trial 7"``, or None."""
    for trial in completed:
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


def keep_alive(
    storage: Storage, sweep: str, holding: Iterable[int], *, heartbeat_grace: float, max_retries: int
) -> tuple[list[int], list[tuple[int, int | None]]]:
    """Renew the heartbeats of the trials this runner holds, then reap the others' lost trials.

    The reaper's cutoff is taken before renewing, so a runner never reaps a trial it holds, even
    when it was paused (suspended laptop, paused VM) for longer than ``heartbeat_grace``.
    Returns the held trials that are no longer running (reaped or finished by another process
    meanwhile: stop running them), and the ``(failed id, retry id or None)`` pairs reaped now.
    """
    cutoff = utcnow() - timedelta(seconds=heartbeat_grace)
    gone = []
    for trial_id in holding:
        try:
            storage.heartbeat(sweep, trial_id)
        except TrialStateError:
            gone.append(trial_id)
        except StorageError as exc:
            log.warning("heartbeat of trial %s not stored: %s", trial_id, exc)
    try:
        reaped = storage.reap_stale_trials(
            sweep,
            stale_before=cutoff,
            max_retries=max_retries,
            reason=f"heartbeat lost: no heartbeat for {heartbeat_grace:g}s (worker died or hung)",
        )
    except StorageError as exc:
        log.warning("reaper of sweep %s: %s", sweep, exc)
        reaped = []
    for failed, retry in reaped:
        log.warning("trial %s lost its heartbeat: failed%s", failed, f", retried as {retry}" if retry is not None else "")
    return gone, reaped
