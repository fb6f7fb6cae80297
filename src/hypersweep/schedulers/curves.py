"""The learning curves a pruner compares: every trial's reported value at each step."""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from hypersweep.records import Trial, TrialState


class Curves:
    """Reported values by trial and step, and which trials have finished.

    Fed by the sweep: its own reports as they happen, and finished trials (with their
    reports) as it learns of them from the store.
    """

    def __init__(self) -> None:
        self._values: dict[int, dict[int, float]] = {}
        self._finished: set[int] = set()

    def add(self, trial_id: int, step: int, value: float) -> None:
        """Record one intermediate value."""
        self._values.setdefault(trial_id, {})[step] = value

    def add_finished(self, trials: Iterable[Trial]) -> None:
        """Record finished trials' whole curves (failed trials' curves are left out)."""
        for trial in trials:
            if trial.state is TrialState.FAILED:
                self._values.pop(trial.id, None)
                continue
            self._finished.add(trial.id)
            curve = self._values.setdefault(trial.id, {})
            curve.update({r.step: r.value for r in trial.reports})

    def curve(self, trial_id: int) -> dict[int, float]:
        """Step -> value of one trial (empty if it reported nothing)."""
        return self._values.get(trial_id, {})

    def n_finished(self) -> int:
        return len(self._finished)

    def finished_at(self, step: int, *, exclude: int) -> np.ndarray:
        """Values that finished trials (other than ``exclude``) reported at ``step``."""
        return np.array(
            [self._values[t][step] for t in self._finished if t != exclude and step in self._values.get(t, {})],
            dtype=float,
        )
