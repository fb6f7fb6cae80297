"""Adapter: Ax (``ax-platform`` 1.x) ``Client`` with its default generation strategy, ask/tell style.

Ax's default ("fast") strategy starts with a Sobol design and continues with BoTorch's modular
Bayesian optimization. The space is the neutral :class:`~benchmarks.peers.unit_space.UnitSpace`
view: float positions as ``RangeParameterConfig`` on [0, 1], ordered ranks as integer ranges,
categoricals as unordered integer choices; a variable with a single level is left out of Ax's
space (it has nothing to choose) and decoded as level 0. The objective is ``loss`` (the problem's
value, sign-flipped when it maximizes), minimized; pending trials stay ``RUNNING`` in Ax's
experiment, which its generation strategy accounts for. ``pip install -r
benchmarks/requirements-peers.txt``.
"""
from __future__ import annotations

import logging
import warnings
from typing import Any

from benchmarks.peers.base import Optimizer, Trace, ask_tell_loop
from benchmarks.peers.unit_space import UnitSpace
from benchmarks.problems.base import Problem


class AxClient(Optimizer):
    """Ax's ``Client`` with its default generation strategy (Sobol, then BoTorch)."""

    name = "ax:default"
    requires = ("ax", "botorch")

    def run(self, problem: Problem, n_trials: int, seed: int, workers: int = 1) -> Trace:
        from ax import ChoiceParameterConfig, Client, RangeParameterConfig
        from ax.utils.common.logger import set_ax_logger_levels

        set_ax_logger_levels(logging.WARNING)  # Ax logs every trial at INFO to stderr
        mapping = UnitSpace(problem.space)
        parameters: list[Any] = []
        for var in mapping.variables:
            if var.kind == "float":
                parameters.append(RangeParameterConfig(name=var.name, bounds=(0.0, 1.0), parameter_type="float"))
            elif var.n < 2:
                continue
            elif var.kind == "rank":
                parameters.append(RangeParameterConfig(name=var.name, bounds=(0, var.n - 1), parameter_type="int"))
            else:
                parameters.append(ChoiceParameterConfig(
                    name=var.name, values=list(range(var.n)), parameter_type="int", is_ordered=False
                ))
        client = Client(random_seed=seed)
        client.configure_experiment(parameters=parameters, name=f"hs-bench-{problem.name}")
        client.configure_optimization(objective="-loss")
        sign = problem.direction.sign()

        def ask() -> tuple[int, dict[str, Any]] | None:
            trials = client.get_next_trials(max_trials=1)
            if not trials:
                return None
            index, values = next(iter(trials.items()))
            return index, dict(values)

        def params(handle: tuple[int, dict[str, Any]]) -> dict[str, Any]:
            values = handle[1]
            return mapping.decode({var.name: values.get(var.name, 0) for var in mapping.variables})

        def tell(handle: tuple[int, dict[str, Any]], value: float) -> None:
            client.complete_trial(trial_index=handle[0], raw_data={"loss": sign * value})

        with warnings.catch_warnings():
            # Ax and BoTorch warn about their own use of pandas and of torch on every fit
            warnings.simplefilter("ignore", FutureWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            return ask_tell_loop(self.name, problem, n_trials, seed, ask, tell, params=params, workers=workers)
