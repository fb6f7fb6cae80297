"""Optimization-history data: completed and pruned trials' values and the best-so-far line."""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from hypersweep.records import Direction, Trial, TrialState


@dataclass(frozen=True)
class HistorySeries:
    """Arrays for one sweep's history plot, all ordered by trial id.

    ``ids``/``values``: completed trials; ``pruned_ids``/``pruned_values``: pruned trials at
    their last reported value; ``best_ids``/``best``: the best value so far among completed
    trials at the largest budget reached (every trial, without multi-fidelity budgets);
    ``failed_ids``: trials that failed (drawn as marks on the axis).
    """

    ids: tuple[int, ...]
    values: tuple[float, ...]
    best: tuple[float, ...]
    failed_ids: tuple[int, ...]
    pruned_ids: tuple[int, ...] = ()
    pruned_values: tuple[float, ...] = ()
    best_ids: tuple[int, ...] = ()

    @property
    def has_values(self) -> bool:
        """True when some trial has a value to draw."""
        return bool(self.values or self.pruned_values)


def history_series(trials: Sequence[Trial], direction: Direction) -> HistorySeries:
    """Build the plot data of ``trials`` under ``direction`` (pruned trials need their reports)."""
    ordered = sorted(trials, key=lambda t: t.id)
    completed = [t for t in ordered if t.state is TrialState.COMPLETED and t.value is not None]
    pruned = [t for t in ordered if t.state is TrialState.PRUNED and _pruned_value(t) is not None]
    top = max((t.budget for t in completed), default=math.inf)
    best_ids: list[int] = []
    best: list[float] = []
    for trial in completed:
        if trial.budget == top:
            best_ids.append(trial.id)
            best.append(trial.value if not best or direction.better(trial.value, best[-1]) else best[-1])  # type: ignore[arg-type]
    return HistorySeries(
        ids=tuple(t.id for t in completed),
        values=tuple(t.value for t in completed),  # type: ignore[misc]
        best=tuple(best),
        failed_ids=tuple(t.id for t in ordered if t.state is TrialState.FAILED),
        pruned_ids=tuple(t.id for t in pruned),
        pruned_values=tuple(_pruned_value(t) for t in pruned),  # type: ignore[misc]
        best_ids=tuple(best_ids),
    )


def _pruned_value(trial: Trial) -> float | None:
    """A pruned trial's value, else its last reported one."""
    if trial.value is not None:
        return trial.value
    return None if trial.last_report is None else trial.last_report.value
