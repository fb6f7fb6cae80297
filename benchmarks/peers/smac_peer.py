"""Adapter: SMAC3's ``HyperparameterOptimizationFacade`` (defaults), through its ask/tell API.

SMAC3 2.4+ installs from PyPI here (``pip install smac``; it uses scikit-learn's random forest,
not pyrfr). The space is the neutral :class:`~benchmarks.peers.unit_space.UnitSpace`
view as a ConfigSpace: ``Float(0, 1)`` positions, ``Integer(0, n - 1)`` ranks, ``Categorical``
indices. The scenario is deterministic with ``n_trials`` equal to the run's length (SMAC sizes
its initial design from it) and writes its run files into a temporary folder.
"""
from __future__ import annotations

import logging
import tempfile
import warnings
from typing import Any

from benchmarks.peers.base import Optimizer, Trace, ask_tell_loop
from benchmarks.peers.unit_space import UnitSpace
from benchmarks.problems.base import Problem


class SMAC3HPO(Optimizer):
    """SMAC3's HPO facade with its defaults."""

    name = "smac3:hpo"
    requires = ("smac", "ConfigSpace")

    def run(self, problem: Problem, n_trials: int, seed: int, workers: int = 1) -> Trace:
        from smac import HyperparameterOptimizationFacade, Scenario
        from smac.runhistory.dataclasses import TrialValue

        mapping = UnitSpace(problem.space)
        cs = configspace_of(mapping, seed)
        sign = problem.direction.sign()
        logging.getLogger("smac").setLevel(logging.ERROR)
        with tempfile.TemporaryDirectory(prefix="hs-bench-smac3-") as tmp, warnings.catch_warnings():
            # SMAC3's forest asks for all cores; inside the harness's worker processes sklearn
            # falls back to one and warns on every fit
            warnings.filterwarnings("ignore", message="Loky-backed parallel loops")
            scenario = Scenario(cs, deterministic=True, n_trials=n_trials, seed=seed, output_directory=tmp)
            facade = HyperparameterOptimizationFacade(
                scenario, lambda config, seed=0: 0.0, overwrite=True, logging_level=40
            )

            def params(info: Any) -> dict[str, Any]:
                return mapping.decode(dict(info.config))

            def tell(info: Any, value: float) -> None:
                facade.tell(info, TrialValue(cost=sign * value))

            return ask_tell_loop(self.name, problem, n_trials, seed, facade.ask, tell, params=params, workers=workers)


def configspace_of(mapping: UnitSpace, seed: int) -> Any:
    """A ConfigSpace over ``mapping``'s variables: unit floats, ordinal ranks as integers, categories."""
    from ConfigSpace import Categorical, ConfigurationSpace, Float, Integer

    cs = ConfigurationSpace(seed=seed)
    for var in mapping.variables:
        if var.kind == "float":
            cs.add(Float(var.name, (0.0, 1.0)))
        elif var.kind == "rank":
            cs.add(Integer(var.name, (0, max(var.n - 1, 1))) if var.n > 1 else Categorical(var.name, [0]))
        else:
            cs.add(Categorical(var.name, list(range(var.n))))
    return cs
