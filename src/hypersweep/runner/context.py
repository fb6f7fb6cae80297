"""The handle an objective receives as its second argument inside a worker process."""
from __future__ import annotations

from collections.abc import Mapping
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from hypersweep.records import Params


class TrialContext:
    """Lets a running objective report intermediate values, ask whether to stop, and find its
    folders: ``run_dir`` for its own checkpoints and, for a trial promoted by a multi-fidelity
    algorithm with ``resume: true``, ``parent_run_dir`` holding the checkpoint to continue from.

    >>> def objective(params, trial):
    ...     for epoch in range(10):
    ...         loss = 1.0 / (epoch + 1)
    ...         if trial.report(epoch, loss):
    ...             break
    ...     return loss
    """

    def __init__(
        self,
        trial_id: int,
        params: Params,
        channel: Connection,
        *,
        meta: Mapping[str, Any] | None = None,
        run_dir: str | Path | None = None,
        parent_run_dir: str | Path | None = None,
    ) -> None:
        self.id = trial_id
        self.params = params
        self.meta: Mapping[str, Any] = dict(meta or {})
        self._run_dir = Path(run_dir) if run_dir is not None else None
        self.parent_run_dir = Path(parent_run_dir) if parent_run_dir is not None else None
        self._channel = channel
        self._stop = False

    @property
    def run_dir(self) -> Path | None:
        """This trial's folder (created on first use); save checkpoints here."""
        if self._run_dir is not None:
            self._run_dir.mkdir(parents=True, exist_ok=True)
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
        self._channel.send(("report", self.id, int(step), float(value)))
        reply: Any = self._channel.recv()
        self._stop = bool(reply)
        return self._stop

    def should_stop(self) -> bool:
        """The decision taken on the latest report."""
        return self._stop
