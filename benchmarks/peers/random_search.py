"""Adapter: independent random search, straight from ``Space.sample`` (no sweep machinery).

It is the reference baseline: every configuration is drawn with
``numpy.random.default_rng(seed)`` from the space's own prior. Running it beside
``hypersweep:random`` (the same prior, through ``hs.Sweep``) checks that the sweep adds no bias
and shows what the sweep's bookkeeping costs per trial.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from benchmarks.peers.base import Optimizer, Trace, ask_tell_loop
from benchmarks.problems.base import Problem


class RandomSearch(Optimizer):
    """Uniform random search over the hypersweep space (per the space's sampling prior)."""

    name = "random"

    def run(self, problem: Problem, n_trials: int, seed: int, workers: int = 1) -> Trace:
        rng = np.random.default_rng(seed)
        space = problem.space

        def ask() -> dict[str, Any]:
            return space.sample(rng)

        def tell(_: Any, __: float) -> None:
            return None

        return ask_tell_loop(self.name, problem, n_trials, seed, ask, tell, workers=workers)
