"""Run one ``TrialTask`` in this process: its environment, its ``TrialContext``, its terminal event.

Every executor runs a task through ``run_task`` where the trial lands (a local worker process,
a Ray or Dask worker), so objectives see the same handle and the same environment everywhere.
"""
from __future__ import annotations

import inspect
import os
import traceback
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from hypersweep.exceptions import TrialPruned
from hypersweep.outcome import Failed
from hypersweep.runner.context import AskPruner, TrialContext
from hypersweep.runner.executor import Errored, Finished, Pruned, TrialTask


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


def run_task(objective: Callable[..., Any], task: TrialTask, ask_pruner: AskPruner) -> Finished | Pruned | Errored:
    """Call ``objective`` on ``task`` with ``task.env`` set; what it returned or raised, as an event."""
    try:
        with environment(task.env):
            if wants_trial_handle(objective):
                result = objective(dict(task.params), TrialContext(task, ask_pruner))
            else:
                result = objective(dict(task.params))
    except TrialPruned as exc:
        return Pruned(task.trial_id, task.attempt, str(exc))
    except Exception:
        return Errored(task.trial_id, task.attempt, traceback.format_exc())
    return Finished(task.trial_id, task.attempt, portable(result))


@contextmanager
def environment(variables: Mapping[str, str]) -> Iterator[None]:
    """Set ``variables`` in ``os.environ`` for the duration of one trial, then restore it."""
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def portable(result: Any) -> Any:
    """Plain floats and dicts travel back; numpy scalars and the like become floats; text fails the trial."""
    if isinstance(result, dict):
        return {str(k): v if isinstance(v, str) else portable(v) for k, v in result.items()}
    if isinstance(result, str):
        return Failed(f"objective returned {result!r}; expected a number or a dict of metrics (text is not converted)")
    if isinstance(result, (bool, type(None), Failed)):
        return result
    try:
        return float(result)
    except (TypeError, ValueError):
        return repr(result)
