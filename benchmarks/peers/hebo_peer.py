"""Adapter: HEBO (``hebo`` 0.3.x, winner of the NeurIPS 2020 black-box optimization challenge).

HEBO's defaults: a GP with input and output warping, a multi-objective acquisition ensemble
optimized by an evolutionary algorithm. The space is the neutral
:class:`~hypersweep.benchmarks.peers.unit_space.UnitSpace` view: ``num`` positions in [0, 1],
``int`` ranks, ``cat`` choices. HEBO has no seed argument: the run seeds numpy's and torch's
global generators with the run's seed. Pending trials (``workers > 1``) are not known to HEBO
(it has no API for them); each ask is a fresh ``suggest``.

Install in its own environment: ``pip install -r benchmarks/requirements-hebo.txt`` (hebo 0.3.x
pins ``numpy<1.25``, older than the one the rest of the harness runs with).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from benchmarks.peers.base import Optimizer, Trace, ask_tell_loop
from benchmarks.peers.unit_space import UnitSpace
from benchmarks.problems.base import Problem


class HEBODefault(Optimizer):
    """HEBO with its defaults, one suggestion per ask."""

    name = "hebo"
    requires = ("hebo", "torch")

    def run(self, problem: Problem, n_trials: int, seed: int, workers: int = 1) -> Trace:
        import torch
        from hebo.design_space.design_space import DesignSpace
        from hebo.optimizers.hebo import HEBO

        np.random.seed(seed)
        torch.manual_seed(seed)
        mapping = UnitSpace(problem.space)
        optimizer = HEBO(DesignSpace().parse(design_of(mapping)), scramble_seed=seed)
        sign = problem.direction.sign()

        def ask() -> Any:
            return optimizer.suggest(n_suggestions=1)

        def params(rec: Any) -> dict[str, Any]:
            row = rec.iloc[0].to_dict()
            return mapping.decode({var.name: row.get(var.name, 0) for var in mapping.variables})

        def tell(rec: Any, value: float) -> None:
            optimizer.observe(rec, np.array([[sign * value]]))

        return ask_tell_loop(self.name, problem, n_trials, seed, ask, tell, params=params, workers=workers)


def design_of(mapping: UnitSpace) -> list[dict[str, Any]]:
    """HEBO design-space entries for ``mapping``'s variables (one-level ones left out: always 0)."""
    out: list[dict[str, Any]] = []
    for var in mapping.variables:
        if var.kind == "float":
            out.append({"name": var.name, "type": "num", "lb": 0.0, "ub": 1.0})
        elif var.n < 2:
            continue
        elif var.kind == "rank":
            out.append({"name": var.name, "type": "int", "lb": 0, "ub": var.n - 1})
        else:
            out.append({"name": var.name, "type": "cat", "categories": list(range(var.n))})
    return out
