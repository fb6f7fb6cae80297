"""The Runner: ask the sweep, dispatch trials to an ``Executor``, act on its events, tell results.

Used by ``Sweep.run``, ``hypersweep run``, ``resume`` and ``worker``. It is the only part that
writes a run's outcome (through the sweep, never the store directly) and owns its upkeep: the
stop flag and early stopping before each new trial, per-trial timeouts, heartbeats and the
reaper, retries of lost trials, progress, callbacks, and a clean stop on Ctrl-C or SIGTERM
(running trials go back to the queue with their params).
"""
from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from hypersweep.exceptions import HypersweepError, TrialPruned, TrialStateError
from hypersweep.outcome import Failed
from hypersweep.records import Trial, TrialState
from hypersweep.runner.control import early_stop_reason
from hypersweep.runner.executor import Errored, Event, Executor, Finished, Lost, Objective, Pruned, Reported, TrialTask
from hypersweep.runner.interrupt import DeferredInterrupt
from hypersweep.runner.plan import RunPlan
from hypersweep.runner.progress import BarProgress, Progress, SilentProgress
from hypersweep.runner.run_dirs import trial_dir
from hypersweep.runner.sweep_port import RunnableSweep

log = logging.getLogger(__name__)

WAIT_POLL_SECONDS = 0.5  # when only other processes' trials can unblock the algorithm
INTERRUPTED, TERMINATED, EXHAUSTED = "interrupted", "terminated", "exhausted"
ATTEMPT_META = "attempt"

Callback = Callable[[Any, Trial], None]
"""``callback(sweep, trial)``, called in the driver after every finished trial."""


@dataclass(frozen=True)
class RunSummary:
    """What one run did.

    ``stop_reason``: "n_trials", "exhausted", "timeout", "interrupted" (Ctrl-C), "terminated"
    (SIGTERM), or why the sweep stopped ("stop requested (...)", "early stopping: ...").
    ``recovered``: trials of dead runners of this host re-queued at start; ``reaped``:
    ``(failed id, retry id or None)`` for trials whose heartbeat was lost. A multi-objective
    sweep has no ``best`` (None): ``front`` is its Pareto front.
    """

    started: int
    finished: dict[TrialState, int]
    stop_reason: str
    requeued: int
    elapsed: float
    best: Trial | None
    recovered: tuple[int, ...] = ()
    reaped: tuple[tuple[int, int | None], ...] = ()
    front: tuple[Trial, ...] = ()


@dataclass
class _Running:
    """A trial this runner dispatched and still holds."""

    trial: Trial
    attempt: int
    deadline: float | None
    stopped_at: int | None = None  # the step at which the pruner said stop


@dataclass
class _Counts:
    started: int = 0
    requeued: int = 0
    finished: dict[TrialState, int] = field(default_factory=dict)
    recovered: list[int] = field(default_factory=list)
    reaped: list[tuple[int, int | None]] = field(default_factory=list)


class Runner:
    """Runs trials of ``sweep`` on ``executor`` as ``plan`` says.

    Args:
        callbacks: each called as ``callback(sweep, trial)`` after every finished trial
            (completed, pruned or failed); an exception in one is logged, the trial is kept.
        progress: show a progress bar on stderr.
        expected_trials: the bar's total when ``plan.n_trials`` is None (how many the budget leaves).
    """

    def __init__(
        self,
        sweep: RunnableSweep,
        executor: Executor,
        plan: RunPlan,
        *,
        callbacks: Sequence[Callback] = (),
        progress: bool = True,
        expected_trials: int | None = None,
    ) -> None:
        self.sweep = sweep
        self.executor = executor
        self.plan = plan
        self.callbacks = tuple(callbacks)
        for callback in self.callbacks:
            if not callable(callback):
                raise HypersweepError(f"callbacks: {callback!r} is not callable; pass functions f(sweep, trial)")
        self._show_progress = progress
        self._expected = plan.n_trials if plan.n_trials is not None else expected_trials
        self._running: dict[int, _Running] = {}
        self._counts = _Counts()
        self._stop_reason: str | None = None
        self._waiting = False  # the algorithm waits for running trials' results before proposing more
        self._start = self._last_upkeep = 0.0
        self._deadline: float | None = None
        self._bar: Progress = SilentProgress()

    def run(self, objective: Objective) -> RunSummary:
        """Run trials until the plan's limits, the sweep's budget, a stop, Ctrl-C or SIGTERM."""
        self._start = self._last_upkeep = time.monotonic()
        self._deadline = None if self.plan.timeout is None else self._start + self.plan.timeout
        with DeferredInterrupt() as interrupt:
            try:
                self._recover()
                self._bar = self._make_bar()
                self.executor.start(objective, slots=self.plan.slots)
                self._drive(interrupt)
            except KeyboardInterrupt:
                self._stop_reason = TERMINATED if interrupt.received == signal.SIGTERM else INTERRUPTED
            finally:
                self.executor.shutdown(kill=bool(self._running))
                self._requeue_running()
                self._bar.close()
        return self._summary()

    def _make_bar(self) -> Progress:
        if not self._show_progress:
            return SilentProgress()
        best = None if self.sweep.objectives.is_multi else self.sweep.best
        return BarProgress(self._expected, self.sweep.metric, best=best.value if best else None)

    def _recover(self) -> None:
        """Re-queue what dead runners of this host left running, and reap lost trials."""
        self._counts.recovered = self.sweep.recover_orphans()
        if self._counts.recovered:
            log.info("re-queued trials %s of dead runners", self._counts.recovered)
        self._upkeep(force=True)

    # -- the loop ----------------------------------------------------------------------------
    def _drive(self, interrupt: DeferredInterrupt) -> None:
        while True:
            self._fill()
            if not self._running and not self._waiting:
                return
            with interrupt.interruptible():
                events = self.executor.poll(self._poll_seconds())
            for event in events:
                self._handle(event)
            self._expire_timeouts()
            self._upkeep()
            interrupt.checkpoint()

    def _fill(self) -> None:
        self._waiting = False
        while self.executor.free_slots > 0 and self._stop_reason is None:
            if self.plan.n_trials is not None and self._counts.started >= self.plan.n_trials:
                self._stop_reason = "n_trials"
                return
            if self._deadline is not None and time.monotonic() >= self._deadline:
                self._stop_reason = "timeout"
                return
            trial = self._next_trial()
            if trial is None:
                return
            self._dispatch(trial)

    def _next_trial(self) -> Trial | None:
        """The next trial, or None with the reason to stop (or ``_waiting`` set)."""
        requested = self.sweep.stop_requested()
        if requested is not None:
            self._stop_reason = f"stop requested ({requested})"
            return None
        # early stopping creates nothing new, but queued (re-queued, restarted) trials still run
        early = early_stop_reason(self.sweep.completed_trials(), self.plan.early_stopping) if self.plan.early_stopping else None
        trial = self.sweep.ask(
            max_trials=self.plan.max_trials, max_resource=self.plan.max_resource, queued_only=early is not None
        )
        if trial is None:
            if early is not None:
                self._stop_reason = early
            elif self.sweep.waiting:
                self._waiting = True
            else:
                self._stop_reason = EXHAUSTED
        return trial

    def _dispatch(self, trial: Trial) -> None:
        parent = trial.meta.get("parent") if trial.meta.get("resume") else None
        root, name = self.plan.runs_root, self.sweep.name
        task = TrialTask(
            sweep=name,
            trial_id=trial.id,
            attempt=int(trial.meta.get(ATTEMPT_META, 0)),
            params=dict(trial.params),
            meta=dict(trial.meta),
            run_dir=str(trial_dir(root, name, trial.id)),
            parent_run_dir=None if parent is None else str(trial_dir(root, name, parent)),
            env=dict(self.plan.env),
        )
        timeout = self.plan.trial_timeout
        self.executor.submit(task)
        self._running[trial.id] = _Running(trial, task.attempt, None if timeout is None else time.monotonic() + timeout)
        self._counts.started += 1

    def _poll_seconds(self) -> float:
        if not self._running:  # waiting on trials only other processes run: look again soon
            return WAIT_POLL_SECONDS
        now = time.monotonic()
        until = [self._last_upkeep + self.plan.heartbeat_seconds]
        until += [r.deadline for r in self._running.values() if r.deadline is not None]
        if self._deadline is not None and self._stop_reason is None:
            until.append(self._deadline)
        return max(min(until) - now, 0.01)

    # -- events ------------------------------------------------------------------------------
    def _handle(self, event: Event) -> None:
        running = self._running.get(event.trial_id)
        if running is None or running.attempt != event.attempt:  # cancelled, done, or a duplicate
            if isinstance(event, Reported):
                self.executor.answer(event, True)
            return
        if isinstance(event, Reported):
            stop = self._report(event)
            if stop and running.stopped_at is None:
                running.stopped_at = event.step
            self.executor.answer(event, stop)
            return
        del self._running[event.trial_id]
        pruned = None if running.stopped_at is None else TrialPruned(f"stopped by the pruner at step {running.stopped_at}")
        if isinstance(event, Finished):
            self._finish(running.trial, pruned or event.result)
        elif isinstance(event, Pruned):
            self._finish(running.trial, TrialPruned(event.reason))
        elif isinstance(event, Errored):
            self._finish(running.trial, Failed(event.error))
        elif isinstance(event, Lost):
            if pruned is not None:
                self._finish(running.trial, pruned)
            else:
                self._retry(running.trial, event.reason)

    def _report(self, event: Reported) -> bool:
        try:
            return self.sweep.report(event.trial_id, event.step, event.value)
        except HypersweepError as exc:
            log.warning("report of trial %s at step %s not stored: %s", event.trial_id, event.step, exc)
            return False

    def _finish(self, trial: Trial, result: Any) -> None:
        try:
            done = self.sweep.tell(trial, result)
        except TrialStateError as exc:  # reaped meanwhile (heartbeat lost): its retry runs instead
            log.warning("late result of trial %s rejected: %s", trial.id, exc)
            return
        self._finished(done)

    def _retry(self, trial: Trial, reason: str) -> None:
        try:
            done, retry = self.sweep.retry(trial, reason, max_retries=self.plan.max_retries)
        except TrialStateError as exc:
            log.warning("lost trial %s was already finished: %s", trial.id, exc)
            return
        if retry is not None:
            log.warning("trial %s lost (%s): retried as trial %s", trial.id, reason, retry.id)
        self._finished(done)

    def _finished(self, done: Trial) -> None:
        self._counts.finished[done.state] = self._counts.finished.get(done.state, 0) + 1
        if done.state is TrialState.FAILED:
            log.warning("trial %s failed: %s", done.id, (done.error or "").strip().splitlines()[-1:])
        self._bar.trial_finished(done)
        for callback in self.callbacks:
            try:
                callback(self.sweep, done)
            except Exception:
                log.exception("callback %r failed on trial %s (the trial is kept)", callback, done.id)

    # -- timeouts, heartbeats, the reaper ----------------------------------------------------
    def _expire_timeouts(self) -> None:
        now = time.monotonic()
        for trial_id, running in list(self._running.items()):
            if running.deadline is not None and now >= running.deadline:
                self.executor.cancel(trial_id)
                del self._running[trial_id]
                self._finish(running.trial, Failed(f"timed out after {self.plan.trial_timeout:g}s; its processes were killed"))

    def _upkeep(self, *, force: bool = False) -> None:
        """Every heartbeat period: renew the held trials' heartbeats, then reap lost trials."""
        now = time.monotonic()
        if not force and now - self._last_upkeep < self.plan.heartbeat_seconds:
            return
        self._last_upkeep = now
        gone, reaped = self.sweep.keep_alive(
            list(self._running), heartbeat_grace=self.plan.heartbeat_grace, max_retries=self.plan.max_retries
        )
        self._counts.reaped.extend(reaped)
        for trial_id in gone:  # finished by another process (reaped while this one was cut off)
            log.warning("trial %s is no longer held by this runner; stopping it", trial_id)
            self.executor.cancel(trial_id)
            del self._running[trial_id]

    # -- the end -----------------------------------------------------------------------------
    def _requeue_running(self) -> None:
        """Put trials that were running back in the queue with their params."""
        for trial_id in list(self._running):
            try:
                self.sweep.requeue(trial_id)
                self._counts.requeued += 1
            except HypersweepError as exc:
                log.error("could not re-queue trial %s: %s", trial_id, exc)
            del self._running[trial_id]

    def _summary(self) -> RunSummary:
        multi = self.sweep.objectives.is_multi
        return RunSummary(
            started=self._counts.started,
            finished=dict(self._counts.finished),
            stop_reason=self._stop_reason or "n_trials",
            requeued=self._counts.requeued,
            elapsed=time.monotonic() - self._start,
            best=None if multi else self.sweep.best,
            recovered=tuple(self._counts.recovered),
            reaped=tuple(self._counts.reaped),
            front=tuple(self.sweep.best_trials) if multi else (),
        )
