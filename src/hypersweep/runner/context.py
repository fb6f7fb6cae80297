"""The handle an objective gets as its second argument: report, should_stop, folders, budget."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from hypersweep.records import Params
from hypersweep.runner.executor import TrialTask
from hypersweep.runner.run_dirs import make_private_dir

AskPruner = Callable[[int, float], bool]
"""Sends ``(step, value)`` to the Runner and returns its pruning decision (True: stop)."""


class TrialContext:
    """Lets a running objective report intermediate values, ask whether to stop, and find its
    folders: ``run_dir`` for its own checkpoints and, for a trial promoted by a multi-fidelity
    algorithm with ``resume: true``, ``parent_run_dir`` holding the checkpoint to continue from.
    ``attempt`` is 0, or how many earlier runs of these params were lost with their worker.

    >>> def objective(params, trial):
    ...     for epoch in range(10):
    ...         loss = 1.0 / (epoch + 1)
    ...         if trial.report(epoch, loss):
    ...             break
    ...     return loss
    """

    def __init__(self, task: TrialTask, ask_pruner: AskPruner) -> None:
        self.id = task.trial_id
        self.attempt = task.attempt
        self.params: Params = dict(task.params)
        self.meta: Mapping[str, Any] = dict(task.meta)
        self._run_dir = Path(task.run_dir) if task.run_dir is not None else None
        self.parent_run_dir = Path(task.parent_run_dir) if task.parent_run_dir is not None else None
        self._ask_pruner = ask_pruner
        self._stop = False

    @property
    def run_dir(self) -> Path | None:
        """This trial's folder (created on first use); save checkpoints here."""
        if self._run_dir is not None:
            make_private_dir(self._run_dir)
        return self._run_dir

    @property
    def budget(self) -> float | None:
        """The multi-fidelity budget assigned to this trial (also in params under the resource name)."""
        return self.meta.get("budget")

    @property
    def parent(self) -> int | None:
        """The trial this one continues (a promoted configuration with ``resume: true``), else None."""
        return self.meta.get("parent") if self.meta.get("resume") else None

    def report(self, step: int, value: float) -> bool:
        """Store ``value`` at ``step``; returns True when the trial should stop early."""
        self._stop = bool(self._ask_pruner(int(step), float(value))) or self._stop
        return self._stop

    def should_stop(self) -> bool:
        """The decision taken on the latest report."""
        return self._stop
