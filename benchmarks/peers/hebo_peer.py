"""Adapter: HEBO (``HEBO`` 0.3.x, Huawei Noah's Ark) with its defaults, through ``suggest``/``observe``.

HEBO minimizes; it starts with ``1 + d`` scrambled Sobol points (seeded by the run's seed) and
then fits its GP with input and output warping. Its GP fit and acquisition use numpy's and torch's
global random state, so the adapter seeds both at the start of a run. The space is the neutral
:class:`~benchmarks.peers.unit_space.UnitSpace` view: ``num`` on [0, 1] for float positions,
``int`` ranges for ordered ranks, ``cat`` (index strings) for categoricals; a one-level variable
is left out and decoded as level 0. HEBO knows nothing of pending trials, so with several
workers it is asked again before the earlier suggestions are told.

HEBO 0.3.6 declares ``numpy<1.25`` (older than hypersweep's floor): install it without its
declared dependencies, ``pip install --no-deps -r benchmarks/requirements-hebo.txt``, on top of
``benchmarks/requirements-peers.txt`` (see that file).
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from benchmarks.peers.base import Optimizer, Trace, ask_tell_loop
from benchmarks.peers.unit_space import UnitSpace
from benchmarks.problems.base import Problem


class HEBOOptimizer(Optimizer):
    """HEBO with its default settings."""

    name = "hebo"
    requires = ("hebo", "torch")

    def run(self, problem: Problem, n_trials: int, seed: int, workers: int = 1) -> Trace:
        import torch
        from hebo.design_space.design_space import DesignSpace
        from hebo.optimizers.hebo import HEBO

        mapping = UnitSpace(problem.space)
        parameters: list[dict[str, Any]] = []
        for var in mapping.variables:
            if var.kind == "float":
                parameters.append({"name": var.name, "type": "num", "lb": 0.0, "ub": 1.0})
            elif var.n < 2:
                continue
            elif var.kind == "rank":
                parameters.append({"name": var.name, "type": "int", "lb": 0, "ub": var.n - 1})
            else:
                parameters.append({"name": var.name, "type": "cat", "categories": [str(i) for i in range(var.n)]})
        np.random.seed(seed)
        torch.manual_seed(seed)
        optimizer = HEBO(DesignSpace().parse(parameters), scramble_seed=seed)
        sign = problem.direction.sign()

        def params(suggestion: Any) -> dict[str, Any]:
            row = suggestion.iloc[0].to_dict()
            values = {var.name: _level(var.kind, row.get(var.name, 0)) for var in mapping.variables}
            return mapping.decode(values)

        def tell(suggestion: Any, value: float) -> None:
            optimizer.observe(suggestion, np.array([[sign * value]]))

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # HEBO and its pymoo warn on every fit
            return ask_tell_loop(
                self.name, problem, n_trials, seed, lambda: optimizer.suggest(n_suggestions=1), tell,
                params=params, workers=workers,
            )


def _level(kind: str, value: Any) -> float | int:
    """HEBO's value of one variable as UnitSpace expects it (categories come back as index strings)."""
    return float(value) if kind == "float" else int(value)
