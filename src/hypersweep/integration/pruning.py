"""What every pruning callback shares: report a value per step, remember whether to stop."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol


class Reportable(Protocol):
    """The trial handle an objective gets (``objective(params, trial)``), or anything with its ``report``."""

    def report(self, step: int, value: float) -> bool: ...


class PruningReporter:
    """Reports ``monitor``'s value at each step to ``trial``; ``stopped_at`` is the step the pruner said stop.

    Once stopped, the training loop ends normally and ``Sweep.run`` stores the trial as pruned
    with the values reported so far (its curve).
    """

    def __init__(self, trial: Reportable, monitor: str) -> None:
        if not hasattr(trial, "report"):
            raise TypeError(f"trial: needs the trial handle of objective(params, trial); got {type(trial).__name__}")
        self.trial = trial
        self.monitor = monitor
        self.stopped_at: int | None = None

    @property
    def pruned(self) -> bool:
        """True once the pruner said stop."""
        return self.stopped_at is not None

    def report(self, step: int, value: float) -> bool:
        """Report ``value`` at ``step``; True when training should stop."""
        if self.stopped_at is None and self.trial.report(int(step), float(value)):
            self.stopped_at = int(step)
        return self.pruned

    def missing(self, available: Iterable[str]) -> KeyError:
        """The error for a monitored metric the library did not log."""
        names = ", ".join(sorted(map(str, available))) or "none"
        return KeyError(f"monitor: {self.monitor!r} was not logged (logged: {names}); pass one of those names")
