"""The run loop: ask, hand trials to workers, relay reports, tell results, stop cleanly."""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hypersweep.exceptions import HypersweepError, TrialPruned, TrialStateError
from hypersweep.outcome import Failed
from hypersweep.records import Trial, TrialState
from hypersweep.runner.control import RunControl, recover_orphans
from hypersweep.runner.interrupt import DeferredInterrupt
from hypersweep.runner.pool import Event, WorkerPool
from hypersweep.runner.progress import BarProgress, Progress, SilentProgress
from hypersweep.runner.run_dirs import runs_root_for, trial_dir

if TYPE_CHECKING:
    from hypersweep.api import Sweep

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 15.0
WAIT_POLL_SECONDS = 0.5


@dataclass(frozen=True)
class RunSummary:
    """What one ``Sweep.run`` call did."""

    started: int
    finished: dict[TrialState, int]
    stop_reason: str  # "n_trials", "exhausted", "timeout", "interrupted", or a control's reason
    requeued: int
    elapsed: float
    best: Trial | None


def run_sweep(
    sweep: "Sweep",
    objective: Callable[..., Any],
    *,
    n_trials: int,
    concurrency: int = 1,
    timeout: float | None = None,
    progress: bool = True,
    control: RunControl | None = None,
    heartbeat: float = HEARTBEAT_SECONDS,
) -> RunSummary:
    """Run up to ``n_trials`` trials of ``sweep`` in ``concurrency`` worker processes.

    ``control`` (optional) may stop the run before a new trial (stop flag, early stopping) and
    is ticked every ``heartbeat`` seconds (reaper), when running trials' heartbeats are stored.
    """
    _check_positive_int("n_trials", n_trials, minimum=0)
    _check_positive_int("concurrency", concurrency, minimum=1)
    if timeout is not None and not timeout > 0:
        raise HypersweepError(f"timeout: must be a positive number of seconds; got {timeout!r}")
    if control is None:  # a run killed on this host left RUNNING trials behind: run them again
        recover_orphans(sweep.storage, sweep.name)
    best = sweep.best
    bar: Progress = (
        BarProgress(n_trials, sweep.metric, best=best.value if best else None) if progress else SilentProgress()
    )
    loop = _Loop(sweep, n_trials, timeout, bar, control, heartbeat)
    pool = WorkerPool(objective, max(1, min(concurrency, n_trials)))
    with DeferredInterrupt() as interrupt:
        try:
            loop.drive(pool, interrupt)
        except KeyboardInterrupt:
            loop.stop_reason = "interrupted"
        finally:
            pool.shutdown(kill=bool(pool.busy))
            loop.requeue_unfinished(pool)
            bar.close()
    return loop.summary()


def _check_positive_int(field: str, value: Any, *, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise HypersweepError(f"{field}: must be an integer >= {minimum}; got {value!r}")


class _Loop:
    """State of one run: counts, the deadline, and the handlers for worker events."""

    def __init__(
        self,
        sweep: "Sweep",
        n_trials: int,
        timeout: float | None,
        bar: Progress,
        control: RunControl | None = None,
        heartbeat: float = HEARTBEAT_SECONDS,
    ) -> None:
        self.sweep = sweep
        self.control = control
        self.heartbeat_seconds = heartbeat
        self.n_trials = n_trials
        self.bar = bar
        self.start = time.monotonic()
        self.deadline = None if timeout is None else self.start + timeout
        self.started = 0
        self.requeued = 0
        self.finished: dict[TrialState, int] = {}
        self.stop_reason = "n_trials"
        self._stopping = False
        self._stopped: dict[int, int] = {}  # trial id -> step at which the pruner said stop
        self._waiting = False  # the algorithm waits for running trials' results before proposing more
        self.runs_root = runs_root_for(sweep.storage)
        self._last_heartbeat = self.start

    def drive(self, pool: WorkerPool, interrupt: DeferredInterrupt) -> None:
        while True:
            self._fill(pool)
            if not pool.busy and not self._waiting:
                return
            with interrupt.interruptible():
                # waiting on trials only other processes run: look again soon
                events = pool.wait(timeout=self._wait_seconds() if pool.busy else WAIT_POLL_SECONDS)
            for event in events:
                self._handle(pool, event)
            self._heartbeat(pool)
            interrupt.checkpoint()

    def _fill(self, pool: WorkerPool) -> None:
        self._waiting = False
        for worker in pool.idle:
            if self._stopping or self.started >= self.n_trials:
                return
            if self.deadline is not None and time.monotonic() >= self.deadline:
                self._stop("timeout")
                return
            trial = self._next_trial()
            self._waiting = trial is None and not self._stopping and self.sweep.waiting
            if trial is None:
                if not self._stopping and not self._waiting:
                    self._stop("exhausted")
                return
            pool.submit(worker, trial, self._where(trial))
            self.started += 1

    def _where(self, trial: Trial) -> dict[str, Any]:
        """The trial's meta and folders, for its ``TrialContext``."""
        parent = trial.meta.get("parent") if trial.meta.get("resume") else None
        return {
            "meta": dict(trial.meta),
            "run_dir": str(trial_dir(self.runs_root, self.sweep.name, trial.id)),
            "parent_run_dir": None if parent is None else str(trial_dir(self.runs_root, self.sweep.name, parent)),
        }

    def _next_trial(self) -> Trial | None:
        """``sweep.ask()``, unless the control stops the run: a stop request starts nothing,
        early stopping still lets queued (re-queued, restarted) trials run."""
        if self.control is None:
            return self.sweep.ask()
        reason = self.control.before_ask()
        if reason is None:
            reason = self.control.before_create()
            if reason is None:
                return self.sweep.ask()
            queued = self.sweep.storage.claim_waiting_trial(self.sweep.name, worker=self.sweep.worker)
            if queued is not None:
                return queued
        self._stop(reason)
        return None

    def _stop(self, reason: str) -> None:
        self._stopping = True
        self.stop_reason = reason

    def _wait_seconds(self) -> float:
        seconds = self.heartbeat_seconds
        if self.deadline is not None and not self._stopping:
            seconds = min(seconds, max(0.0, self.deadline - time.monotonic()))
        return max(seconds, 0.01)

    def _handle(self, pool: WorkerPool, event: Event) -> None:
        worker, message = event.worker, event.message
        if message is None:
            trial = worker.trial
            worker.process.join(timeout=5)  # its pipe can close before the process is reaped
            code = worker.process.exitcode
            pool.replace(worker)
            if trial is not None:
                self._finish(trial, Failed(f"worker process died (exit code {code}) while running the trial"))
            return
        kind, trial_id = message[0], message[1]
        if kind == "report":
            stop = self._report(trial_id, message[2], message[3])
            if stop:
                self._stopped[trial_id] = message[2]
            worker.channel.send(stop)
            return
        trial = worker.trial
        if trial is None or trial.id != trial_id:
            log.error("worker answered for trial %s it was not running", trial_id)
            return
        if kind == "result" and trial_id in self._stopped:
            self._finish(trial, TrialPruned(f"stopped by the pruner at step {self._stopped.pop(trial_id)}"))
        elif kind == "result":
            self._finish(trial, message[2])
        elif message[2] == "pruned":
            self._finish(trial, TrialPruned(message[3]))
        else:
            self._finish(trial, Failed(message[3]))
        worker.trial = None

    def _report(self, trial_id: int, step: int, value: float) -> bool:
        try:
            return self.sweep.report(trial_id, step, value)
        except HypersweepError as exc:
            log.warning("report of trial %s at step %s not stored: %s", trial_id, step, exc)
            return False

    def _finish(self, trial: Trial, result: Any) -> None:
        try:
            done = self.sweep.tell(trial, result)
        except TrialStateError as exc:  # reaped meanwhile (heartbeat lost): its retry runs instead
            log.warning("late result of trial %s rejected: %s", trial.id, exc)
            return
        self.finished[done.state] = self.finished.get(done.state, 0) + 1
        if done.state is TrialState.FAILED:
            log.warning("trial %s failed: %s", done.id, (done.error or "").strip().splitlines()[-1:])
        self.bar.trial_finished(done)

    def _heartbeat(self, pool: WorkerPool) -> None:
        now = time.monotonic()
        if now - self._last_heartbeat < self.heartbeat_seconds:
            return
        self._last_heartbeat = now
        if self.control is not None:
            self.control.tick()
        for worker in pool.busy:
            if worker.trial is None:
                continue
            try:
                self.sweep.storage.heartbeat(self.sweep.name, worker.trial.id)
            except HypersweepError as exc:  # e.g. finished by another process meanwhile
                log.warning("heartbeat of trial %s not stored: %s", worker.trial.id, exc)

    def requeue_unfinished(self, pool: WorkerPool) -> None:
        """Put trials that were running back in the queue with their params (after Ctrl-C)."""
        for worker in pool.workers:
            if worker.trial is None:
                continue
            try:
                self.sweep.storage.requeue_trial(self.sweep.name, worker.trial.id)
                self.requeued += 1
            except HypersweepError as exc:
                log.error("could not re-queue trial %s: %s", worker.trial.id, exc)
            worker.trial = None

    def summary(self) -> RunSummary:
        return RunSummary(
            started=self.started,
            finished=dict(self.finished),
            stop_reason=self.stop_reason,
            requeued=self.requeued,
            elapsed=time.monotonic() - self.start,
            best=self.sweep.best,
        )
