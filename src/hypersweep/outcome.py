"""Turn what an objective returned (or raised) into a trial's final state and values."""
from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hypersweep.exceptions import TrialPruned
from hypersweep.records import Metric, Objectives, TrialState, is_finite_number


@dataclass(frozen=True)
class Failed:
    """A failure result: ``sweep.tell(trial, hs.Failed("out of memory"))``."""

    reason: str


@dataclass(frozen=True)
class Outcome:
    """The final state of a trial, ready for ``Storage.finish_trial``."""

    state: TrialState
    value: float | None = None
    metrics: Mapping[str, float] = field(default_factory=dict)
    error: str | None = None
    feasible: bool | None = None


def outcome_of(result: Any, objectives: Metric | Objectives) -> Outcome:
    """Interpret a float, a dict of metrics, a ``Failed``, ``TrialPruned`` or another exception.

    NaN, inf, None, non-numbers and dicts without the sweep's metric give a FAILED outcome
    whose error says why, so the trial is kept and the sweep goes on. With several metrics the
    result must be a dict holding each of them; with constraints, a completed trial is marked
    feasible or not (a constraint metric it did not report counts as violated).
    """
    if isinstance(objectives, Metric):
        objectives = Objectives((objectives,))
    outcome = _single(result, objectives.metrics[0])
    if outcome.state is not TrialState.COMPLETED:
        return outcome
    for metric in objectives.metrics[1:]:
        value = result.get(metric.name) if isinstance(result, Mapping) else None
        if not _is_number(value) or not math.isfinite(float(value)):
            got = "a single number" if not isinstance(result, Mapping) else repr(value)
            return Outcome(
                TrialState.FAILED,
                metrics=outcome.metrics,
                error=f"objective returned {got} for {metric.name!r}; a multi-objective sweep needs a dict "
                f"with a finite number for each of {[m.name for m in objectives.metrics]}",
            )
    return Outcome(outcome.state, outcome.value, outcome.metrics, feasible=objectives.feasible(outcome.metrics))


def _single(result: Any, metric: Metric) -> Outcome:
    """The outcome for the first metric (``Trial.value``)."""
    if isinstance(result, Failed):
        return Outcome(TrialState.FAILED, error=result.reason)
    if isinstance(result, TrialPruned):
        return Outcome(TrialState.PRUNED, error=str(result) or None)
    if isinstance(result, BaseException):
        return Outcome(TrialState.FAILED, error=f"{type(result).__name__}: {result}")
    if isinstance(result, Mapping):
        metrics = {str(k): float(v) for k, v in result.items() if _is_number(v)}
        if metric.name not in result:
            return Outcome(
                TrialState.FAILED,
                metrics=_finite(metrics),
                error=f"result has no {metric.name!r} metric; got keys {sorted(map(str, result))}",
            )
        value = result[metric.name]
    else:
        metrics, value = {}, result
    if not _is_number(value):
        return Outcome(
            TrialState.FAILED,
            metrics=_finite(metrics),
            error=f"objective returned {value!r} for {metric.name!r}; expected a finite number",
        )
    number = float(value)
    if not math.isfinite(number):
        return Outcome(
            TrialState.FAILED,
            metrics=_finite(metrics),
            error=f"objective returned {number} for {metric.name!r}; expected a finite number",
        )
    metrics[metric.name] = number
    return Outcome(TrialState.COMPLETED, value=number, metrics=_finite(metrics))


def _is_number(value: Any) -> bool:
    """A real number (numpy's included); text such as ``"0.3"`` is not converted."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _finite(metrics: Mapping[str, float]) -> dict[str, float]:
    return {k: v for k, v in metrics.items() if is_finite_number(v)}
