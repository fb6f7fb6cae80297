"""The worker process: receives trials over a pipe, runs the objective, sends results back.

Messages, child -> parent: ("report", id, step, value) answered by a bool;
("result", id, value) or ("error", id, kind, text) with kind "failed" or "pruned".
Parent -> child: ("run", id, params, where) or None to exit; ``where`` holds the trial's
``meta``, ``run_dir`` and ``parent_run_dir``.
"""
from __future__ import annotations

import inspect
import os
import signal
import sys
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from hypersweep.exceptions import TrialPruned
from hypersweep.outcome import Failed
from hypersweep.runner.context import TrialContext


def wants_trial_handle(objective: Callable[..., Any]) -> bool:
    """True when the objective takes a second positional argument (the trial handle)."""
    try:
        parameters = list(inspect.signature(objective).parameters.values())
    except (TypeError, ValueError):
        return False
    positional = [
        p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
    ]
    return len(positional) >= 2 or any(p.kind is p.VAR_POSITIONAL for p in positional)


PARENT_CHECK_SECONDS = 0.5


def _die_with_parent() -> None:
    """On Linux, get SIGTERM when the runner dies (a command trial then kills its group)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def worker_main(objective: Callable[..., Any], channel: Connection) -> None:
    """Loop until told to exit; Ctrl-C is left to the parent, which stops workers itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    parent = os.getppid()
    with_handle = wants_trial_handle(objective)
    while True:
        # Poll rather than block: after a kill -9 of the runner, sibling workers still hold
        # copies of this pipe (inherited through fork), so EOF alone would never come.
        while not channel.poll(PARENT_CHECK_SECONDS):
            if os.getppid() != parent:
                return
        try:
            message = channel.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        _, trial_id, params, where = message
        channel.send(_run_one(objective, with_handle, trial_id, params, where, channel))


def _run_one(
    objective: Callable[..., Any],
    with_handle: bool,
    trial_id: int,
    params: dict,
    where: dict[str, Any],
    channel: Connection,
) -> tuple:
    try:
        if with_handle:
            result = objective(dict(params), TrialContext(trial_id, params, channel, **where))
        else:
            result = objective(dict(params))
    except TrialPruned as exc:
        return ("error", trial_id, "pruned", str(exc))
    except Exception:
        return ("error", trial_id, "failed", traceback.format_exc())
    return ("result", trial_id, _portable(result))


def _portable(result: Any) -> Any:
    """Plain floats and dicts travel back; numpy scalars and the like become floats."""
    if isinstance(result, dict):
        return {str(k): _portable(v) for k, v in result.items()}
    if isinstance(result, (str, bool, type(None), Failed)):
        return result
    try:
        return float(result)
    except (TypeError, ValueError):
        return repr(result)
