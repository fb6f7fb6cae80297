"""The optimizer adapter contract and the trace every run produces.

An :class:`Optimizer` runs one problem for ``n_trials`` trials with one seed and returns a
:class:`Trace`: each trial's objective value and the seconds spent in the optimizer's own
ask + tell (the objective's time is excluded).

Trials run sequentially, or with ``workers > 1`` as a simulated asynchronous parallel run
(:func:`ask_tell_loop`): one process, ``workers`` trials in flight, each with a simulated
duration; the optimizer asks while the others are pending and is told each trial when it
finishes, so the trace lists values in finishing order (regret at k trials = after k results).
"""
from __future__ import annotations

import heapq
import importlib.util
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from benchmarks.problems.base import Problem
from hypersweep.records import Direction


@dataclass
class Trace:
    """What one (optimizer, problem, seed) run produced.

    ``values[i]`` is trial ``i``'s objective (NaN when it failed), ``overhead[i]`` its
    ask + tell seconds of wall-clock time and ``overhead_cpu[i]`` the same in CPU time of
    the process (robust to other load on a shared machine). ``info`` holds the problem
    metadata (optimum, references) so a report can be rebuilt from stored traces alone.
    """

    optimizer: str
    problem: str
    seed: int
    values: list[float]
    overhead: list[float]
    direction: Direction = Direction.MINIMIZE
    info: dict[str, Any] = field(default_factory=dict)
    wall_seconds: float = 0.0
    overhead_cpu: list[float] = field(default_factory=list)

    @property
    def best(self) -> np.ndarray:
        """Best value so far after each trial, shape ``(n_trials,)`` (NaN before the first success)."""
        loss = self.direction.sign() * np.asarray(self.values, dtype=float)
        loss = np.where(np.isnan(loss), np.inf, loss)
        best = np.minimum.accumulate(loss) if loss.size else loss
        best = np.where(np.isinf(best), np.nan, best)
        return self.direction.sign() * best

    def best_at(self, budget: int) -> float:
        """Best value after ``budget`` trials (the last one when the run stopped earlier)."""
        best = self.best
        if best.size == 0:
            return float("nan")
        return float(best[min(budget, best.size) - 1])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (one line of ``traces.jsonl``)."""
        return {
            "optimizer": self.optimizer,
            "problem": self.problem,
            "seed": self.seed,
            "direction": self.direction.value,
            "n_trials": len(self.values),
            "values": [None if np.isnan(v) else float(v) for v in self.values],
            "best": [None if np.isnan(v) else float(v) for v in self.best],
            "overhead_s": [float(v) for v in self.overhead],
            "overhead_cpu_s": [float(v) for v in self.overhead_cpu],
            "wall_s": self.wall_seconds,
            "info": dict(self.info),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Trace:
        """Inverse of :meth:`to_dict`."""
        return cls(
            optimizer=str(data["optimizer"]),
            problem=str(data["problem"]),
            seed=int(data["seed"]),
            values=[float("nan") if v is None else float(v) for v in data["values"]],
            overhead=[float(v) for v in data["overhead_s"]],
            direction=Direction.parse(data.get("direction", "minimize")),
            info=dict(data.get("info", {})),
            wall_seconds=float(data.get("wall_s", 0.0)),
            overhead_cpu=[float(v) for v in data.get("overhead_cpu_s", [])],
        )


class Optimizer(ABC):
    """One optimizer, adapted to the harness.

    Subclasses set ``name`` (the label in tables) and ``requires`` (modules that must be
    importable), and implement :meth:`run`.
    """

    name: str
    requires: tuple[str, ...] = ()

    def missing(self) -> list[str]:
        """Required modules that cannot be imported here (empty when the adapter can run)."""
        return [m for m in self.requires if importlib.util.find_spec(m) is None]

    @abstractmethod
    def run(self, problem: Problem, n_trials: int, seed: int, workers: int = 1) -> Trace:
        """Run ``n_trials`` trials on ``problem`` with ``seed`` (``workers`` in flight, simulated)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"


Handle = Any
AskFn = Callable[[], Handle]
ParamsFn = Callable[[Handle], Mapping[str, Any]]
TellFn = Callable[[Handle, float], None]


def ask_tell_loop(
    optimizer: str,
    problem: Problem,
    n_trials: int,
    seed: int,
    ask: AskFn,
    tell: TellFn,
    params: ParamsFn = lambda handle: handle,
    workers: int = 1,
) -> Trace:
    """Drive ``ask`` / evaluate / ``tell`` for ``n_trials``, timing ``ask`` and ``tell`` only.

    ``ask`` returns a handle (None when the optimizer has nothing left to propose);
    ``params(handle)`` (untimed: harness-side conversions such as the Optuna mapping) gives
    the params dict the problem evaluates; ``tell(handle, value)`` reports the value.
    With ``workers > 1`` see :func:`async_loop`.
    """
    if workers > 1:
        return async_loop(optimizer, problem, n_trials, seed, ask, tell, params, workers)
    values: list[float] = []
    overhead: list[float] = []
    overhead_cpu: list[float] = []
    clock, cpu = time.perf_counter, time.process_time
    start = clock()
    for _ in range(n_trials):
        t0, c0 = clock(), cpu()
        handle = ask()
        t1, c1 = clock(), cpu()
        if handle is None:
            break
        value = float(problem.evaluate(params(handle)))
        t2, c2 = clock(), cpu()
        tell(handle, value)
        t3, c3 = clock(), cpu()
        values.append(value)
        overhead.append((t1 - t0) + (t3 - t2))
        overhead_cpu.append((c1 - c0) + (c3 - c2))
    return _trace(optimizer, problem, seed, values, overhead, overhead_cpu, clock() - start)


#: simulated trial durations are uniform in this range (arbitrary units)
DURATION_RANGE = (0.5, 1.5)


def async_loop(
    optimizer: str,
    problem: Problem,
    n_trials: int,
    seed: int,
    ask: AskFn,
    tell: TellFn,
    params: ParamsFn,
    workers: int,
) -> Trace:
    """A simulated asynchronous run with ``workers`` trials in flight, in one process.

    ``workers`` trials are asked first (each ask sees the earlier ones pending); every trial
    gets a duration drawn from ``numpy.random.default_rng([seed, 8191])`` (uniform in
    :data:`DURATION_RANGE`, the same sequence for every optimizer); the trial that finishes
    first on the simulated clock is told, and one new trial is asked in its place, until
    ``n_trials`` have finished. ``values[i]`` is the i-th result to come back and
    ``overhead[i]`` the time of the ask that started it plus its tell.
    """
    durations = np.random.default_rng([seed, 8191])
    clock, cpu = time.perf_counter, time.process_time
    start = clock()
    running: list[tuple[float, int, Handle, float, float, float]] = []
    values: list[float] = []
    overhead: list[float] = []
    overhead_cpu: list[float] = []
    now, launched = 0.0, 0

    def launch() -> bool:
        nonlocal launched
        t0, c0 = clock(), cpu()
        handle = ask()
        t1, c1 = clock(), cpu()
        if handle is None:
            return False
        value = float(problem.evaluate(params(handle)))
        finish = now + float(durations.uniform(*DURATION_RANGE))
        heapq.heappush(running, (finish, launched, handle, value, t1 - t0, c1 - c0))
        launched += 1
        return True

    while launched < min(workers, n_trials) and launch():
        pass
    while running:
        now, _, handle, value, ask_wall, ask_cpu = heapq.heappop(running)
        t2, c2 = clock(), cpu()
        tell(handle, value)
        t3, c3 = clock(), cpu()
        values.append(value)
        overhead.append(ask_wall + (t3 - t2))
        overhead_cpu.append(ask_cpu + (c3 - c2))
        if launched < n_trials:
            launch()
    return _trace(optimizer, problem, seed, values, overhead, overhead_cpu, clock() - start)


def _trace(
    optimizer: str,
    problem: Problem,
    seed: int,
    values: list[float],
    overhead: list[float],
    overhead_cpu: list[float],
    wall_seconds: float,
) -> Trace:
    """The Trace of one finished run of ``optimizer`` on ``problem``."""
    return Trace(
        optimizer=optimizer,
        problem=problem.name,
        seed=seed,
        values=values,
        overhead=overhead,
        direction=problem.direction,
        info=problem.info(),
        wall_seconds=wall_seconds,
        overhead_cpu=overhead_cpu,
    )
