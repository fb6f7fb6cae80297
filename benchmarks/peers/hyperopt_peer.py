"""Adapter: Hyperopt's TPE (``hyperopt.tpe.suggest`` with its defaults), driven ask/tell style.

Hyperopt has no ask/tell API; the adapter calls ``tpe.suggest`` for one new trial id, inserts
the returned trial document into a ``Trials`` object (ask) and marks it done with its loss
(tell), which is what ``fmin`` does internally. The space is the neutral
:class:`~benchmarks.peers.unit_space.UnitSpace` view: ``hp.uniform(0, 1)`` for
float positions, ``hp.quniform(0, n - 1, 1)`` for ordered ranks, ``hp.choice`` for
categoricals. Hyperopt is imported lazily (``benchmarks/requirements-peers.txt``).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from benchmarks.peers.base import Optimizer, Trace, ask_tell_loop
from benchmarks.peers.unit_space import UnitSpace
from benchmarks.problems.base import Problem


class HyperoptTPE(Optimizer):
    """Hyperopt TPE with default settings (20 random startup trials)."""

    name = "hyperopt:tpe"
    requires = ("hyperopt",)

    def run(self, problem: Problem, n_trials: int, seed: int, workers: int = 1) -> Trace:
        from hyperopt import JOB_STATE_DONE, STATUS_OK, Trials, hp, tpe
        from hyperopt.base import Domain

        mapping = UnitSpace(problem.space)
        space: dict[str, Any] = {}
        for var in mapping.variables:
            if var.kind == "float":
                space[var.name] = hp.uniform(var.name, 0.0, 1.0)
            elif var.kind == "rank":
                space[var.name] = hp.quniform(var.name, 0, max(var.n - 1, 0), 1)
            else:
                space[var.name] = hp.choice(var.name, list(range(var.n)))
        domain = Domain(lambda _: 0.0, space)
        trials = Trials()
        rng = np.random.default_rng(seed)
        sign = problem.direction.sign()

        def ask() -> dict[str, Any]:
            (tid,) = trials.new_trial_ids(1)
            trials.refresh()
            docs = tpe.suggest([tid], domain, trials, int(rng.integers(2**31 - 1)))
            trials.insert_trial_docs(docs)
            trials.refresh()
            return trials._dynamic_trials[-1]

        def params(doc: dict[str, Any]) -> dict[str, Any]:
            vals = {k: v[0] for k, v in doc["misc"]["vals"].items() if v}
            return mapping.decode(vals)  # hp.choice stores the index, which is what decode wants

        def tell(doc: dict[str, Any], value: float) -> None:
            loss = sign * value if np.isfinite(value) else float("inf")
            doc["state"] = JOB_STATE_DONE
            doc["result"] = {"loss": loss, "status": STATUS_OK}
            trials.refresh()

        return ask_tell_loop(self.name, problem, n_trials, seed, ask, tell, params=params, workers=workers)
