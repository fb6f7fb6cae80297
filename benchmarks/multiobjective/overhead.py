"""Seconds per ask+tell once 200 trials are in, hypersweep's ``mobo`` against Optuna's GPSampler.

    python -m benchmarks.multiobjective.overhead --problems zdt1,c2dtlz2 --timed 10

Both start with ``--warm`` (200) quasi-random trials (``n_initial_trials`` / ``n_startup_trials``),
so the timed asks are the first model-based ones at that history size; the objective's time is
excluded. Each method runs in memory, sequentially, with one BLAS thread.
"""
from __future__ import annotations

import argparse
import sys
import time

import numpy as np

import hypersweep as hs
from benchmarks.multiobjective.problems import MOProblem, problems


def hypersweep_seconds(problem: MOProblem, warm: int, timed: int, seed: int) -> list[float]:
    sweep = hs.Sweep(problem.space, metric=problem.metrics, constraints=problem.hs_constraints, algorithm="mobo",
                     seed=seed, options={"n_initial_trials": warm})
    out = []
    for i in range(warm + timed):
        start = time.perf_counter()
        trial = sweep.ask()
        asked = time.perf_counter() - start
        result = problem.evaluate(trial.params)
        start = time.perf_counter()
        sweep.tell(trial, result)
        if i >= warm:
            out.append(asked + time.perf_counter() - start)
    return out


def optuna_seconds(problem: MOProblem, warm: int, timed: int, seed: int) -> list[float]:
    import optuna
    from optuna.distributions import FloatDistribution

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    constraints = (lambda t: t.user_attrs["constraints"]) if problem.constraints else None
    sampler = optuna.samplers.GPSampler(seed=seed, n_startup_trials=warm, constraints_func=constraints)
    study = optuna.create_study(directions=["minimize"] * len(problem.objectives), sampler=sampler)
    columns = problem.space.n_columns
    dists = {f"u{j}": FloatDistribution(0.0, 1.0) for j in range(columns)}
    out = []
    for i in range(warm + timed):
        start = time.perf_counter()
        trial = study.ask(dists)
        asked = time.perf_counter() - start
        result = problem.evaluate(problem.space.from_unit(np.array([trial.params[f"u{j}"] for j in range(columns)])))
        start = time.perf_counter()
        if problem.constraints:
            trial.set_user_attr("constraints", [result[c] for c in problem.constraints])
        study.tell(trial, [result[o] for o in problem.objectives])
        if i >= warm:
            out.append(asked + time.perf_counter() - start)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problems", default="zdt1,c2dtlz2")
    parser.add_argument("--warm", type=int, default=200)
    parser.add_argument("--timed", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    print("| problem | hypersweep mobo s/trial | Optuna GPSampler s/trial | ratio |")
    print("|---|---|---|---|")
    for name in args.problems.split(","):
        problem = problems()[name]()
        assert problem is not None
        ours = float(np.mean(hypersweep_seconds(problem, args.warm, args.timed, args.seed)))
        theirs = float(np.mean(optuna_seconds(problem, args.warm, args.timed, args.seed)))
        print(f"| {name} | {ours:.3f} | {theirs:.3f} | {ours / theirs:.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
