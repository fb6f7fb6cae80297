"""The handle an objective receives as its second argument inside a worker process."""
from __future__ import annotations

from multiprocessing.connection import Connection
from typing import Any

from hypersweep.records import Params


class TrialContext:
    """Lets a running objective report intermediate values and ask whether to stop.

    >>> def objective(params, trial):
    ...     for epoch in range(10):
    ...         loss = 1.0 / (epoch + 1)
    ...         if trial.report(epoch, loss):
    ...             break
    ...     return loss
    """

    def __init__(self, trial_id: int, params: Params, channel: Connection) -> None:
        self.id = trial_id
        self.params = params
        self._channel = channel
        self._stop = False

    def report(self, step: int, value: float) -> bool:
        """Store ``value`` at ``step``; returns True when the trial should stop early."""
        self._channel.send(("report", self.id, int(step), float(value)))
        reply: Any = self._channel.recv()
        self._stop = bool(reply)
        return self._stop

    def should_stop(self) -> bool:
        """The decision taken on the latest report."""
        return self._stop
