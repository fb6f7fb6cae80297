"""Optimization-history data: every completed trial's value and the best-so-far line."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hypersweep.records import Direction, Trial, TrialState


@dataclass(frozen=True)
class HistorySeries:
    """Arrays for one sweep's history plot, all ordered by trial id.

    ``ids``/``values``: completed trials; ``best``: the best value up to and including each of
    them; ``failed_ids``: trials that failed (drawn as marks on the axis).
    """

    ids: tuple[int, ...]
    values: tuple[float, ...]
    best: tuple[float, ...]
    failed_ids: tuple[int, ...]


def history_series(trials: Sequence[Trial], direction: Direction) -> HistorySeries:
    """Build the plot data of ``trials`` under ``direction``."""
    ids: list[int] = []
    values: list[float] = []
    best: list[float] = []
    failed: list[int] = []
    for trial in sorted(trials, key=lambda t: t.id):
        if trial.state is TrialState.FAILED:
            failed.append(trial.id)
        if trial.state is not TrialState.COMPLETED or trial.value is None:
            continue
        ids.append(trial.id)
        values.append(trial.value)
        best.append(trial.value if not best or direction.better(trial.value, best[-1]) else best[-1])
    return HistorySeries(tuple(ids), tuple(values), tuple(best), tuple(failed))
