"""Live progress on stderr (tqdm): a run's trials done, failures and best value so far; the steps
of a one-off computation such as meta-training (``step_bar``)."""
from __future__ import annotations

import sys
from typing import Any, Protocol

from hypersweep.records import Metric, Trial, TrialState


class Progress(Protocol):
    def trial_finished(self, trial: Trial) -> None: ...
    def close(self) -> None: ...


class SilentProgress:
    """Progress that shows nothing (``progress=False``)."""

    def trial_finished(self, trial: Trial) -> None:
        """Nothing to show."""

    def close(self) -> None:
        """Nothing to close."""


class BarProgress:
    """A tqdm bar: ``done/total`` with best value and failure counts in the postfix."""

    def __init__(self, total: int | None, metric: Metric, *, best: float | None = None) -> None:
        from tqdm.auto import tqdm

        self._metric = metric
        self._best = best
        self._counts = {TrialState.FAILED: 0, TrialState.PRUNED: 0}
        self._bar = tqdm(total=total, unit="trial", dynamic_ncols=True, file=sys.stderr, desc="sweep")
        self._refresh()

    def trial_finished(self, trial: Trial) -> None:
        if trial.state in self._counts:
            self._counts[trial.state] += 1
        if trial.state is TrialState.COMPLETED and trial.value is not None:
            if self._best is None or self._metric.direction.better(trial.value, self._best):
                self._best = trial.value
        self._bar.update(1)
        self._refresh()

    def _refresh(self) -> None:
        postfix = {f"best {self._metric.name}": "-" if self._best is None else f"{self._best:.6g}"}
        postfix.update({state.value: n for state, n in self._counts.items() if n})
        self._bar.set_postfix(postfix, refresh=True)

    def close(self) -> None:
        self._bar.close()


def step_bar(total: int, description: str, *, shown: bool = True) -> Any:
    """A tqdm bar of ``total`` steps on stderr (``update``, ``set_postfix_str``, ``close``);
    ``shown=False``: the same calls, nothing printed."""
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="step", dynamic_ncols=True, file=sys.stderr, desc=description, disable=not shown)
