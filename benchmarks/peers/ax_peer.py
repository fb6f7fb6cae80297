"""Adapter: Ax (``ax-platform`` 1.x) with its default generation strategy, through ``ax.api.Client``.

Ax's default strategy is Sobol initialization followed by BoTorch (a mixed-kernel GP with log
noisy EI for spaces with categoricals). The space is the neutral
:class:`~hypersweep.benchmarks.peers.unit_space.UnitSpace` view: float positions in [0, 1],
ordered integer ranks, unordered choices (``ChoiceParameterConfig(is_ordered=False)``). Pending
trials (``workers > 1``) are Ax's own running trials, which its generation strategy conditions on.

Install: ``pip install 'ax-platform>=1.0,<2'`` (pulls botorch and gpytorch; pip keeps
``torch==2.13.0``).
"""
from __future__ import annotations

import logging
import warnings
from typing import Any

from benchmarks.peers.base import Optimizer, Trace, ask_tell_loop
from benchmarks.peers.unit_space import UnitSpace
from benchmarks.problems.base import Problem

METRIC = "loss"


class AxDefault(Optimizer):
    """Ax's ``Client`` with the default generation strategy (seeded)."""

    name = "ax:default"
    requires = ("ax", "botorch")

    def run(self, problem: Problem, n_trials: int, seed: int, workers: int = 1) -> Trace:
        from ax.api.client import Client
        from ax.utils.common.logger import set_stderr_log_level

        set_stderr_log_level(logging.ERROR)
        for name in ("botorch", "gpytorch"):
            logging.getLogger(name).setLevel(logging.ERROR)
        mapping = UnitSpace(problem.space)
        client = Client(random_seed=seed)
        client.configure_experiment(parameters=parameters_of(mapping))
        client.configure_optimization(objective=f"-{METRIC}")  # Ax minimizes a negated objective
        sign = problem.direction.sign()

        def ask() -> tuple[int, dict[str, Any]] | None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                trials = client.get_next_trials(max_trials=1)
            return next(iter(trials.items()), None)

        def params(handle: tuple[int, dict[str, Any]]) -> dict[str, Any]:
            return mapping.decode({var.name: handle[1].get(var.name, 0) for var in mapping.variables})

        def tell(handle: tuple[int, dict[str, Any]], value: float) -> None:
            client.complete_trial(trial_index=handle[0], raw_data={METRIC: sign * value})

        return ask_tell_loop(self.name, problem, n_trials, seed, ask, tell, params=params, workers=workers)


def parameters_of(mapping: UnitSpace) -> list[Any]:
    """Ax parameter configs for ``mapping``'s variables (one-level ones are left out: always 0)."""
    from ax.api.configs import ChoiceParameterConfig, RangeParameterConfig

    out: list[Any] = []
    for var in mapping.variables:
        if var.kind == "float":
            out.append(RangeParameterConfig(name=var.name, bounds=(0.0, 1.0), parameter_type="float"))
        elif var.n < 2:
            continue
        elif var.kind == "rank":
            out.append(RangeParameterConfig(name=var.name, bounds=(0, var.n - 1), parameter_type="int"))
        else:
            out.append(ChoiceParameterConfig(name=var.name, values=list(range(var.n)), parameter_type="int",
                                             is_ordered=False))
    return out
