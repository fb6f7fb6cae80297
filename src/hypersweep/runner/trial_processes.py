"""Killing everything a trial started, also after the worker that ran it died.

A worker process of the ``ProcessExecutor`` leads its own process group, so a function trial's
child processes die with the group. A shell command runs in a group of its own (so that it can be
killed on its own when it ends, times out or is pruned); its group id is published in a value
shared with the executor, which kills that group too when the worker dies or is cancelled.
"""
from __future__ import annotations

import os
import signal
from typing import Any

_published: Any = None  # a multiprocessing.Value("i") shared with the executor, in worker processes


def publish_through(shared: Any) -> None:
    """In a worker process: publish the command group of the running trial through ``shared``."""
    global _published
    _published = shared


def command_started(group: int) -> None:
    """A trial's command now runs in process group ``group``."""
    if _published is not None:
        _published.value = group


def command_ended() -> None:
    """The trial's command group is gone (killed and reaped)."""
    command_started(0)


def kill_command_group() -> None:
    """In a worker process: kill the running trial's command group, if there is one."""
    if _published is not None:
        kill_group(_published.value)


def kill_group(group: int) -> None:
    """SIGKILL every process of group ``group``; a group that no longer exists is fine."""
    if group <= 0:
        return
    try:
        os.killpg(group, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
