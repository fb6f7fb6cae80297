"""Simulated multi-fidelity runs: cost accounting in epochs, workers on a simulated clock.

A run spends a budget counted in epochs. A trial trained to ``e`` epochs costs ``e`` epochs, or
``e - e_parent`` when its ``meta`` says it resumes (``meta["resume"]``) the trial ``meta["parent"]``
(it continues that trial's training). With ``workers`` simulated workers, a trial occupies one
worker for as long as its cost (one epoch = one time unit); results come back in finishing
order. The run stops once the finished trials have spent the budget.

What a run keeps (:class:`MFRun`): the cumulative cost at which each *full-fidelity* result
arrived and its value, so the regret of the incumbent (the best configuration trained to full
fidelity so far) can be read at any budget, plus the worker utilization: the fraction of
``workers x elapsed time`` during which workers were busy.
"""
from __future__ import annotations

import heapq
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from benchmarks.problems.base import normalized_regret
from hypersweep.records import Direction, Report, Trial, TrialState
from hypersweep.schedulers.curves import Curves
from hypersweep.schedulers.pruners import Pruner

#: evaluate(params, epochs) -> objective value after that many epochs
EvaluateFn = Callable[[Mapping[str, Any], int], float]
#: curve(params, epochs) -> objective values after epochs 1..epochs, shape (epochs,)
CurveFn = Callable[[Mapping[str, Any], int], np.ndarray]


@dataclass
class MFRun:
    """One (method, problem, seed, workers) run, as stored in ``runs.jsonl``.

    ``full_costs[i]`` is the cumulative number of epochs spent (by finished trials, in finishing
    order) when the ``i``-th full-fidelity result ``full_values[i]`` came back.
    """

    method: str
    problem: str
    seed: int
    workers: int
    full_costs: list[float]
    full_values: list[float]
    n_trials: int
    epochs: float
    utilization: float = 1.0
    elapsed: float = 0.0
    cpu_s: float = 0.0
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """The table label: ``method``, or ``method x4`` with 4 workers."""
        return self.method if self.workers == 1 else f"{self.method} x{self.workers}"

    def incumbent_at(self, epochs: float) -> float:
        """The incumbent's full-fidelity value after ``epochs`` epochs (NaN before the first)."""
        costs = np.asarray(self.full_costs, dtype=float)
        values = np.asarray(self.full_values, dtype=float)[costs <= epochs + 1e-9]
        return float(values.min()) if values.size else math.nan

    def regret_at(self, epochs: float, reference: str = "worst") -> float:
        """Normalized regret of the incumbent after ``epochs`` epochs (1 before any full result)."""
        best = self.incumbent_at(epochs)
        if math.isnan(best):
            return 1.0
        info = self.info
        return float(normalized_regret(best, optimum=info["optimum"], reference=info[f"reference_{reference}"]))

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MFRun:
        return cls(**dict(data))


class Ledger:
    """Collects finished trials (finishing order) into the numbers an :class:`MFRun` keeps."""

    def __init__(self, full_epoch: int) -> None:
        self.full_epoch = full_epoch
        self.spent = 0.0
        self.n_trials = 0
        self.full_costs: list[float] = []
        self.full_values: list[float] = []

    def add(self, cost: float, epochs: int, value: float) -> None:
        """Book one finished trial trained to ``epochs`` that cost ``cost`` epochs."""
        self.spent += cost
        self.n_trials += 1
        if epochs >= self.full_epoch and math.isfinite(value):
            self.full_costs.append(self.spent)
            self.full_values.append(float(value))


def trial_epochs(trial: Trial, resource: str, full_epoch: int) -> int:
    """Epochs a trial trains to: its params' resource, or ``full_epoch`` for full-fidelity algorithms."""
    return int(trial.params.get(resource, full_epoch))


def trial_cost(trial: Trial, trials: Mapping[int, Trial], resource: str, full_epoch: int) -> int:
    """Epochs a trial costs: its epochs, minus its parent's when it resumes the parent's training."""
    epochs = trial_epochs(trial, resource, full_epoch)
    parent = trial.meta.get("parent")
    if trial.meta.get("resume") and parent is not None and parent in trials:
        return max(0, epochs - trial_epochs(trials[parent], resource, full_epoch))
    return epochs


def utilization(intervals: Sequence[tuple[float, float]], workers: int, end: float) -> float:
    """Busy fraction of ``workers x [0, end]`` given each trial's ``(start, finish)`` interval."""
    if end <= 0:
        return 1.0
    busy = sum(max(0.0, min(finish, end) - min(start, end)) for start, finish in intervals)
    return busy / (workers * end)


def _reports(
    trial: Trial, trials: Mapping[int, Trial], curve: CurveFn | None, resource: str, full_epoch: int
) -> tuple[Report, ...]:
    """The per-epoch reports of the epochs ``trial`` trained itself (none without ``curve``)."""
    if curve is None:
        return ()
    epochs = trial_epochs(trial, resource, full_epoch)
    first = epochs - trial_cost(trial, trials, resource, full_epoch) + 1
    values = curve(trial.params, epochs)
    return tuple(Report(step, float(values[step - 1])) for step in range(first, epochs + 1))


def _stop_epoch(
    trial: Trial, trials: Mapping[int, Trial], curve: CurveFn, pruner: Pruner, seen: Curves, resource: str,
    full_epoch: int,
) -> int:
    """The epoch at which ``pruner`` stops ``trial`` (its last epoch when it never does); values are losses."""
    epochs = trial_epochs(trial, resource, full_epoch)
    for report in _reports(trial, trials, curve, resource, full_epoch):
        if report.step < epochs and pruner.should_stop(trial.id, report.step, report.value, seen, Direction.MINIMIZE):
            return report.step
    return epochs


def simulate(
    algorithm: Any,
    evaluate: EvaluateFn,
    budget: float,
    *,
    workers: int = 1,
    resource: str = "epochs",
    full_epoch: int = 52,
    curve: CurveFn | None = None,
    pruner: Pruner | None = None,
) -> tuple[Ledger, float, float, float]:
    """Drive a hypersweep algorithm (``suggest`` / ``tell``) until finished trials spend ``budget`` epochs.

    Free workers ask ``algorithm.suggest(1, pending=running trials)``; an empty answer leaves the
    worker idle until the next result when ``algorithm.waiting``, and ends the launches otherwise.
    With ``curve``, a finished trial carries the values of the epochs it trained as reports (as a
    training loop that reports every epoch would; a resumed trial reports the epochs after its
    parent's). Returns the ledger, the utilization, the elapsed simulated time and the CPU seconds
    spent in ``suggest`` + ``tell``.

    With ``pruner`` (and ``curve``), each trial is checked at every epoch it trains, as a sweep's
    ``report`` does, against the curves of the trials finished when it started (exact with one
    worker; with more, the trials finishing meanwhile are not seen); a stopped trial is told as
    pruned with its value at that epoch and costs only the epochs it ran.
    """
    trials: dict[int, Trial] = {}
    seen_curves = Curves()
    stops: dict[int, int] = {}
    running: list[tuple[float, int]] = []  # (finish time, trial id)
    intervals: list[tuple[float, float]] = []
    ledger = Ledger(full_epoch)
    now, cpu, exhausted = 0.0, 0.0, False
    while True:
        while len(running) < workers and not exhausted:
            c0 = time.process_time()
            suggestions = algorithm.suggest(1, pending=[trials[i] for _, i in running])
            cpu += time.process_time() - c0
            if not suggestions:
                exhausted = not (algorithm.waiting and running)
                break
            s = suggestions[0]
            trial = Trial(id=len(trials), params=dict(s.params), meta=dict(s.meta), state=TrialState.RUNNING)
            trials[trial.id] = trial
            cost = trial_cost(trial, trials, resource, full_epoch)
            if pruner is not None and curve is not None:
                stops[trial.id] = _stop_epoch(trial, trials, curve, pruner, seen_curves, resource, full_epoch)
                cost -= trial_epochs(trial, resource, full_epoch) - stops[trial.id]
            intervals.append((now, now + cost))
            heapq.heappush(running, (now + cost, trial.id))
        if not running:
            break
        now, tid = heapq.heappop(running)
        trial = trials[tid]
        epochs = trial_epochs(trial, resource, full_epoch)
        stop = stops.get(tid, epochs)
        value = float(evaluate(trial.params, stop))
        reports = tuple(r for r in _reports(trial, trials, curve, resource, full_epoch) if r.step <= stop)
        state = TrialState.COMPLETED if stop == epochs else TrialState.PRUNED
        done = replace(trial, state=state, value=value, reports=reports)
        trials[tid] = done
        seen_curves.add_finished([done])
        c0 = time.process_time()
        algorithm.tell([done])
        cpu += time.process_time() - c0
        ledger.add(trial_cost(trial, trials, resource, full_epoch) - (epochs - stop), stop, value)
        if ledger.spent >= budget:
            break
    return ledger, utilization(intervals, workers, now), now, cpu
