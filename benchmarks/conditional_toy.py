"""Quick check: do ``tpe`` and ``bo`` gain from modelling inactive parameters explicitly?

Usage::

    python -m benchmarks.conditional_toy --seeds 5 --trials 40

One cheap conditional problem, two ways of giving it to the algorithm:

* ``conditional``: the space declares ``when:`` (each branch's parameters exist only under its
  model choice), so ``tpe`` fits one Parzen pair per group of parameters on the trials where
  the group exists and ``bo`` sees inactive parameters at one dedicated encoding;
* ``flat``: the same parameters, all always active; the objective ignores the ones of the
  other branches, so they are pure noise dimensions to the model.

The objective (lower is better, optimum 0, in branch ``b``): branch ``a`` has two continuous
parameters (best 0.3), ``b`` a continuous and an integer one (best 0.0), ``c`` a log-scaled one
(best 0.2); a shared ``lr`` adds ``(lr - 0.5)^2``. The table gives each (algorithm, space) the
mean and median best value after ``--trials`` trials over ``--seeds`` seeds (from ``--first-seed``).
This is a sanity check for the conditional machinery, not one of the issue's target suites.
"""
from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Mapping
from typing import Any

import numpy as np

import hypersweep as hs

BRANCHES: dict[str, dict[str, Any]] = {
    "x1": {"uniform": [0, 1], "when": {"model": "a"}},
    "x2": {"uniform": [0, 1], "when": {"model": "a"}},
    "y1": {"uniform": [0, 1], "when": {"model": "b"}},
    "y2": {"range": [0, 16, 1], "when": {"model": "b"}},
    "z1": {"loguniform": [1e-4, 1], "when": {"model": "c"}},
}


def space(conditional: bool) -> hs.Space:
    """The problem's space, with its conditions or flat (every parameter always active)."""
    entries = {name: (spec if conditional else {k: v for k, v in spec.items() if k != "when"}) for name, spec in BRANCHES.items()}
    return hs.Space.from_matrix({"model": {"values": ["a", "b", "c"]}, "lr": {"uniform": [0, 1]}, **entries})


def objective(p: Mapping[str, Any]) -> float:
    """Branch value plus the shared term; parameters of other branches are ignored."""
    if p["model"] == "a":
        value = 4 * (p["x1"] - 0.7) ** 2 + 4 * (p["x2"] - 0.2) ** 2 + 0.3
    elif p["model"] == "b":
        value = 4 * (p["y1"] - 0.4) ** 2 + 0.05 * abs(p["y2"] - 7)
    else:
        value = (math.log10(p["z1"]) + 2) ** 2 / 4 + 0.2
    return value + (p["lr"] - 0.5) ** 2


def best_after(algorithm: str, conditional: bool, seed: int, trials: int) -> float:
    sweep = hs.Sweep(space(conditional), algorithm=algorithm, metric=hs.Metric("loss"), seed=seed)
    sweep.run(objective, n_trials=trials, progress=False)
    return float(min(t.value for t in sweep.trials if t.value is not None))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--algorithms", default="tpe,bo")
    args = parser.parse_args(argv)
    rows = []
    for algorithm in args.algorithms.split(","):
        for conditional in (True, False):
            start = time.perf_counter()
            seeds = range(args.first_seed, args.first_seed + args.seeds)
            values = [best_after(algorithm, conditional, seed, args.trials) for seed in seeds]
            rows.append((algorithm, "conditional" if conditional else "flat", values))
            print(f"{algorithm} {rows[-1][1]}: {np.round(values, 4).tolist()} ({time.perf_counter() - start:.0f} s)",
                  file=sys.stderr, flush=True)
    print(f"| algorithm | space | mean best after {args.trials} | median | seeds |")
    print("| --- | --- | --- | --- | --- |")
    for algorithm, kind, values in rows:
        print(f"| {algorithm} | {kind} | {np.mean(values):.4f} | {np.median(values):.4f} | {len(values)} |")


if __name__ == "__main__":
    main()
