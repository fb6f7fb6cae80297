"""A worker process of the ``ProcessExecutor``: runs tasks from its pipe, sends events back.

Messages, parent -> child: a ``TrialTask`` to run, a ``Decision`` answering the child's last
``Reported``, or None to exit. Child -> parent: the events of ``runner/executor.py``.

The worker leads its own process group, so a trial's child processes die with it: the executor
kills the group on cancel and when the worker dies, and the worker kills it on SIGTERM (sent
on Linux when the runner dies).
"""
from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from types import FrameType
from typing import Any

from hypersweep.runner import trial_processes
from hypersweep.runner.context import AskPruner
from hypersweep.runner.executor import Reported, TrialTask
from hypersweep.runner.run_task import run_task

PARENT_CHECK_SECONDS = 0.5


@dataclass(frozen=True)
class Decision:
    """The Runner's answer to a report: True when the trial should stop."""

    stop: bool


def worker_main(objective: Callable[..., Any], channel: Connection, command_group: Any) -> None:
    """Run tasks until told to exit; Ctrl-C is left to the runner, which stops workers itself."""
    lead_own_group()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _kill_trial_and_exit)
    _die_with_parent()
    trial_processes.publish_through(command_group)
    parent = os.getppid()
    while True:
        # Poll rather than block: after a kill -9 of the runner, sibling workers still hold
        # copies of this pipe (inherited through fork), so EOF alone would never come.
        while not channel.poll(PARENT_CHECK_SECONDS):
            if os.getppid() != parent:
                return
        try:
            task = channel.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        channel.send(run_task(objective, task, _pruner_over(channel, task)))


def lead_own_group() -> None:
    """Make this process the leader of a new process group (ignored if it already is)."""
    try:
        os.setpgid(0, 0)
    except OSError:
        pass


def _pruner_over(channel: Connection, task: TrialTask) -> AskPruner:
    def ask(step: int, value: float) -> bool:
        channel.send(Reported(task.trial_id, task.attempt, step, value))
        decision: Decision = channel.recv()
        return decision.stop

    return ask


def _kill_trial_and_exit(signum: int, frame: FrameType | None) -> None:
    """SIGTERM: the trial's command group, then this worker's own group (this process included)."""
    trial_processes.kill_command_group()
    trial_processes.kill_group(os.getpgrp())
    os._exit(143)


def _die_with_parent() -> None:
    """On Linux, get SIGTERM when the runner dies."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
