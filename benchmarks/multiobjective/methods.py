"""The methods compared: each runs one problem for ``n`` trials with one seed, sequentially.

A run returns every trial's results (objectives and constraints, in trial order) and the seconds
each ask+tell took (the method's own overhead; the objective's time excluded). Peers see the
problem's space through its unit encoding (``space.from_unit``), so every method searches the
same box; hypersweep sees the space itself.
"""
from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

import hypersweep as hs
from benchmarks.multiobjective.problems import MOProblem

Run = tuple[list[dict[str, float]], list[float]]


def hypersweep_run(algorithm: str | None) -> Callable[[MOProblem, int, int], Run]:
    """hypersweep with ``algorithm`` (None: the sweep's default for several metrics)."""

    def run(problem: MOProblem, n: int, seed: int) -> Run:
        sweep = hs.Sweep(problem.space, metric=problem.metrics, constraints=problem.hs_constraints,
                         algorithm=algorithm, seed=seed)
        results, seconds = [], []
        for _ in range(n):
            start = time.perf_counter()
            trial = sweep.ask()
            asked = time.perf_counter() - start
            result = problem.evaluate(trial.params)
            start = time.perf_counter()
            sweep.tell(trial, result)
            seconds.append(asked + time.perf_counter() - start)
            results.append(result)
        return results, seconds

    return run


def optuna_run(kind: str) -> Callable[[MOProblem, int, int], Run]:
    """Optuna's ``nsga2``, ``tpe`` or ``gp`` sampler with its defaults (and the constraints)."""

    def run(problem: MOProblem, n: int, seed: int) -> Run:
        import optuna
        from optuna.distributions import FloatDistribution

        optuna.logging.set_verbosity(optuna.logging.WARNING)
        constraints = (lambda t: t.user_attrs["constraints"]) if problem.constraints else None
        samplers = {
            "nsga2": lambda: optuna.samplers.NSGAIISampler(seed=seed, constraints_func=constraints),
            "tpe": lambda: optuna.samplers.TPESampler(seed=seed, constraints_func=constraints),
            "gp": lambda: optuna.samplers.GPSampler(seed=seed, constraints_func=constraints),
        }
        study = optuna.create_study(directions=["minimize"] * len(problem.objectives), sampler=samplers[kind]())
        columns = problem.space.n_columns
        dists = {f"u{j}": FloatDistribution(0.0, 1.0) for j in range(columns)}
        results, seconds = [], []
        for _ in range(n):
            start = time.perf_counter()
            trial = study.ask(dists)
            asked = time.perf_counter() - start
            params = problem.space.from_unit(np.array([trial.params[f"u{j}"] for j in range(columns)]))
            result = problem.evaluate(params)
            start = time.perf_counter()
            if problem.constraints:
                trial.set_user_attr("constraints", [result[c] for c in problem.constraints])
            study.tell(trial, [result[o] for o in problem.objectives])
            seconds.append(asked + time.perf_counter() - start)
            results.append(result)
        return results, seconds

    return run


def ax_run(problem: MOProblem, n: int, seed: int) -> Run:
    """Ax's default generation strategy through ``ax.api.Client``: a Sobol design, then BoTorch's
    qLogNEHVI over the objectives (all minimized, no objective thresholds given, as for the other
    methods) with the constraints as Ax outcome constraints ``name <= 0``."""
    from ax.api.client import Client
    from ax.api.configs import RangeParameterConfig
    from ax.utils.common.logger import set_ax_logger_levels

    set_ax_logger_levels(logging.WARNING)  # Ax logs every trial at INFO
    client = Client(random_seed=seed)
    columns = problem.space.n_columns
    client.configure_experiment(
        parameters=[RangeParameterConfig(name=f"u{j}", parameter_type="float", bounds=(0.0, 1.0)) for j in range(columns)]
    )
    client.configure_optimization(
        objective=", ".join(f"-{o}" for o in problem.objectives),
        outcome_constraints=[f"{c} <= 0.0" for c in problem.constraints] or None,
    )
    results, seconds = [], []
    with warnings.catch_warnings():
        # Ax and BoTorch warn on every fit (missing objective thresholds, pandas, tensor copies)
        warnings.simplefilter("ignore")
        for _ in range(n):
            start = time.perf_counter()
            (index, raw), = client.get_next_trials(max_trials=1).items()
            asked = time.perf_counter() - start
            params = problem.space.from_unit(np.array([raw[f"u{j}"] for j in range(columns)]))
            result = problem.evaluate(params)
            start = time.perf_counter()
            client.complete_trial(trial_index=index, raw_data={k: float(v) for k, v in result.items()})
            seconds.append(asked + time.perf_counter() - start)
            results.append(result)
    return results, seconds


METHODS: dict[str, Callable[[MOProblem, int, int], Run]] = {
    "hypersweep-default": hypersweep_run(None),
    "hypersweep-nsga2": hypersweep_run("nsga2"),
    "hypersweep-tpe": hypersweep_run("tpe"),
    "hypersweep-random": hypersweep_run("random"),
    "optuna-nsga2": optuna_run("nsga2"),
    "optuna-tpe": optuna_run("tpe"),
    "optuna-gp": optuna_run("gp"),
    "ax-default": ax_run,
}


__all__: list[Any] = ["METHODS", "Run"]
