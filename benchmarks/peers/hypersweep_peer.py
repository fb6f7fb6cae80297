"""Adapter: any registered hypersweep algorithm, driven through ``hs.Sweep`` (ask / tell)."""
from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from benchmarks.peers.base import Optimizer, Trace, ask_tell_loop
from benchmarks.problems.base import Problem


class HypersweepOptimizer(Optimizer):
    """A hypersweep algorithm by registered name, with options, in memory or on SQLite.

    Only ``sweep.ask()`` and ``sweep.tell()`` are timed; the objective is not.

    Example:
        >>> opt = HypersweepOptimizer("random")          # doctest: +SKIP
        >>> opt.run(get_problem("branin"), 10, seed=0)   # doctest: +SKIP
    """

    def __init__(
        self,
        algorithm: str,
        *,
        options: Mapping[str, Any] | None = None,
        storage: str = "memory",
        label: str | None = None,
    ) -> None:
        if storage not in ("memory", "sqlite"):
            raise ValueError(f"storage: must be 'memory' or 'sqlite'; got {storage!r}")
        self.algorithm = algorithm
        self.options = dict(options or {})
        self.storage = storage
        suffix = "" if storage == "memory" else "@sqlite"
        self.name = label or f"hypersweep:{algorithm}{suffix}"

    def run(self, problem: Problem, n_trials: int, seed: int, workers: int = 1) -> Trace:
        if self.storage == "sqlite":
            with tempfile.TemporaryDirectory(prefix="hs-bench-") as tmp:
                return self._run(problem, n_trials, seed, str(Path(tmp) / "bench.db"), workers)
        return self._run(problem, n_trials, seed, None, workers)

    def _run(self, problem: Problem, n_trials: int, seed: int, storage: str | None, workers: int = 1) -> Trace:
        import hypersweep as hs

        sweep = hs.Sweep(
            problem.space,
            algorithm=self.algorithm,
            metric=hs.Metric("value", problem.direction),
            storage=storage,
            name=f"bench-{problem.name.replace('/', '-')}-{seed}",
            seed=seed,
            options=self.options or None,
        )

        def tell(trial: Any, value: float) -> None:
            sweep.tell(trial, value)

        return ask_tell_loop(
            self.name, problem, n_trials, seed, sweep.ask, tell, params=lambda t: t.params, workers=workers
        )
