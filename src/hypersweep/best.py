"""The answer of a sweep: its best trial (one metric) or its Pareto front (several metrics).

Only completed trials that met the constraints compete: an infeasible trial is kept and shown,
never the answer.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from hypersweep.pareto import hypervolume, pareto_mask
from hypersweep.records import Metric, Objectives, Trial, TrialState

__all__ = ["best_trial", "front_reference", "hypervolume_history", "objective_losses", "pareto_front"]


def best_trial(trials: Sequence[Trial], metric: Metric) -> Trial | None:
    """The completed, feasible trial with the best value under ``metric``'s direction (earliest on ties).

    In a multi-fidelity sweep only trials at the largest budget reached so far compete: a
    configuration trained for 1 epoch is not the answer because its early loss looks good.
    """
    completed = [t for t in trials if t.state is TrialState.COMPLETED and t.value is not None and t.feasible is not False]
    top = max((t.budget for t in completed), default=math.inf)
    best: Trial | None = None
    for trial in completed:
        if trial.budget != top:
            continue
        if best is None or metric.direction.better(trial.value, best.value):  # type: ignore[arg-type]
            best = trial
    return best


def objective_losses(trials: Sequence[Trial], objectives: Objectives) -> tuple[list[Trial], np.ndarray]:
    """The completed, feasible trials with every objective, and their losses (one row each)."""
    kept, rows = [], []
    for trial in trials:
        if trial.state is not TrialState.COMPLETED or trial.feasible is False:
            continue
        losses = objectives.losses(trial.metrics)
        if losses is not None:
            kept.append(trial)
            rows.append(losses)
    return kept, np.asarray(rows, dtype=float).reshape(len(rows), len(objectives.metrics))


def pareto_front(trials: Sequence[Trial], objectives: Objectives) -> list[Trial]:
    """The feasible, non-dominated completed trials, by id (equal results all stay on the front)."""
    kept, losses = objective_losses(trials, objectives)
    mask = pareto_mask(losses)
    return [t for t, on in zip(kept, mask) if on]


def front_reference(trials: Sequence[Trial], objectives: Objectives) -> np.ndarray | None:
    """The reference point (as losses) for a sweep's hypervolume: each metric's ``reference``,
    else the worst feasible value seen plus a tenth of the observed range; None before any result."""
    _, losses = objective_losses(trials, objectives)
    if len(losses) == 0:
        return None
    worst, best = losses.max(axis=0), losses.min(axis=0)
    fallback = worst + 0.1 * np.maximum(worst - best, 1e-12)
    given = objectives.reference_losses()
    return np.array([fallback[j] if r is None else r for j, r in enumerate(given)])


def hypervolume_history(trials: Sequence[Trial], objectives: Objectives, reference: np.ndarray) -> list[tuple[int, float]]:
    """(trial id, hypervolume of the feasible front so far) after each finished trial, in id order."""
    out: list[tuple[int, float]] = []
    front = np.zeros((0, len(objectives.metrics)))
    volume = 0.0
    for trial in sorted((t for t in trials if t.is_finished), key=lambda t: t.id):
        kept, losses = objective_losses([trial], objectives)
        if kept and (losses[0] < reference).all():
            front = np.vstack([front, losses])
            front = front[pareto_mask(front)]
            volume = hypervolume(front, reference)
        out.append((trial.id, volume))
    return out
