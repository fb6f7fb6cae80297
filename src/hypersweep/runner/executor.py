"""The seam between the ``Runner`` and whatever runs trials: ``Executor``, ``TrialTask`` and events.

The Runner is the driver: it asks the sweep for trials, is the only writer to the store, and
takes every decision (pruning, per-trial timeout, retries, heartbeats). An executor only runs
trials. It is started once with the objective, then gets one ``TrialTask`` per trial: a plain,
picklable description (ids, params, folders, environment) with no store, no Sweep and no
credentials in it. It answers with typed events, each tagged with the ``(trial_id, attempt)``
it is about:

- ``Reported(step, value)``: an intermediate value. The Runner stores it, asks the pruner and
  always calls ``answer(event, stop)``.
- ``Finished(result)``: the objective returned ``result`` (a number, a dict of metrics, ``Failed``).
- ``Pruned(reason)``: the objective raised ``TrialPruned`` (or a command stopped on the answer).
- ``Errored(error)``: the objective raised (``error`` holds the traceback) or a command failed.
- ``Lost(reason)``: what ran the trial died (a killed process, a lost node). The Runner fails
  the trial and queues a retry with the same params while the sweep's ``max_retries`` allows.

One terminal event (``Finished``, ``Pruned``, ``Errored`` or ``Lost``) ends each submitted
attempt, unless the Runner cancelled it first. The Runner ignores events of attempts it does not
hold (cancelled, already finished, or from an engine that delivers twice): the first terminal
event of the current attempt is the one recorded, exactly once.

Pruning answers: ``trial.report(step, value)`` returns the pruner's decision. An executor whose
trial can wait for it delivers ``answer`` to the trial before ``report`` returns
(``ProcessExecutor``: the trial blocks on its pipe). A remote executor may deliver it later (the
trial sees ``stop`` on a following report) or cancel the trial and emit ``Pruned``. Once the
Runner answered stop, a trial that ends in any way but ``Errored`` is recorded as pruned at that
step.

Remote executors run a task where it lands with ``run_task(objective, task, ask_pruner)``
(``runner/run_task.py``), which applies the task's environment, hands the objective its
``TrialContext`` and turns what it returns or raises into the terminal event.

The per-trial timeout is the Runner's: when it expires, the Runner calls ``cancel`` and records
the failure, so executors need no timers. ``poll`` may be cut short by ``KeyboardInterrupt``
(Ctrl-C, SIGTERM); after that the Runner only calls ``shutdown``.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Union


@dataclass(frozen=True)
class TrialTask:
    """Everything needed to run one attempt of one trial, and nothing secret.

    ``meta`` is what the algorithm stored with the trial (a multi-fidelity ``budget``, its
    ``parent``); ``run_dir`` is the trial's folder, ``parent_run_dir`` the folder of the trial it
    continues (multi-fidelity ``resume: true``); ``env`` is set in the trial's environment.
    """

    sweep: str
    trial_id: int
    attempt: int
    params: Mapping[str, Any]
    meta: Mapping[str, Any] = field(default_factory=dict)
    run_dir: str | None = None
    parent_run_dir: str | None = None
    env: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Reported:
    """An intermediate value; the Runner answers with ``Executor.answer(event, stop)``."""

    trial_id: int
    attempt: int
    step: int
    value: float


@dataclass(frozen=True)
class Finished:
    """The objective returned ``result`` (a number, a dict of metrics or ``hs.Failed``)."""

    trial_id: int
    attempt: int
    result: Any


@dataclass(frozen=True)
class Pruned:
    """The trial stopped itself as pruned (``hs.TrialPruned``, or a command stopped on the answer)."""

    trial_id: int
    attempt: int
    reason: str


@dataclass(frozen=True)
class Errored:
    """The objective raised, or a command failed; ``error`` says why (a traceback, a stderr tail)."""

    trial_id: int
    attempt: int
    error: str


@dataclass(frozen=True)
class Lost:
    """What ran the trial died before it ended; the trial may be retried."""

    trial_id: int
    attempt: int
    reason: str


TerminalEvent = Union[Finished, Pruned, Errored, Lost]
Event = Union[Reported, TerminalEvent]
Objective = Callable[..., Any]
"""``objective(params)`` or ``objective(params, trial)``; shell commands are a ``CommandObjective``."""


class Executor(ABC):
    """Runs trials for a Runner: started once, then submit, poll, answer, cancel, shutdown.

    All calls come from the Runner's thread. ``free_slots`` bounds ``submit``: the Runner never
    submits more tasks than there are free slots.
    """

    @abstractmethod
    def start(self, objective: Objective, *, slots: int) -> None:
        """Get ready to run ``objective`` for up to ``slots`` trials at once."""

    @property
    @abstractmethod
    def free_slots(self) -> int:
        """How many more tasks ``submit`` takes now."""

    @abstractmethod
    def submit(self, task: TrialTask) -> None:
        """Start running ``task``; its events come from ``poll``."""

    @abstractmethod
    def poll(self, timeout: float) -> list[Event]:
        """Events since the last call, waiting up to ``timeout`` seconds when there are none."""

    @abstractmethod
    def answer(self, report: Reported, stop: bool) -> None:
        """Deliver the pruner's decision on ``report`` to its trial (see the module docstring)."""

    @abstractmethod
    def cancel(self, trial_id: int) -> None:
        """Stop the trial now, killing every process it started; no event of it follows."""

    @abstractmethod
    def shutdown(self, *, kill: bool) -> None:
        """Release all workers; with ``kill``, trials still running are killed with them."""
