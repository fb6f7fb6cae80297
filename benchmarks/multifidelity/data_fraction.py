"""A non-resumable fidelity: the training-set fraction of an RBF ``SVC`` on scikit-learn's digits data.

Usage::

    python -m benchmarks.multifidelity.data_fraction --seeds 10 --budgets 5 10 25 --methods bo freeze_thaw hyperband

The budget ``b`` in 1..27 trains on the first ``b/27`` of a fixed shuffle of 1,200 rows (so a higher
budget is a fresh training on a superset, never a continuation: ``resume: false``) and scores the
classification error on the other 597 rows. Hyperparameters: ``C`` and ``gamma`` (log-uniform) and
``class_weight`` (none or balanced). Costs are counted in budget units (27 = one full training);
runs are simulated on one worker (:func:`~benchmarks.multifidelity.simulate.simulate`) with real
trainings. Prints the incumbent's error (its full-budget value) at each budget in full trainings,
paired 90% intervals of each method minus ``bo``, and the optimizer CPU seconds per run.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import functools
import platform
import shlex
import sys
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

import hypersweep as hs
from benchmarks.multifidelity.simulate import simulate
from benchmarks.multifidelity.targets import paired_interval
from hypersweep.algorithms import make_algorithm

FULL = 27
N_TRAIN = 1200
SPACE = hs.Space({
    "C": hs.loguniform(1e-2, 1e3),
    "gamma": hs.loguniform(1e-5, 1e-1),
    "class_weight": hs.values(["none", "balanced"]),
})


@functools.cache
def _data() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits

    x, y = load_digits(return_X_y=True)
    order = np.random.default_rng(0).permutation(len(y))
    x, y = x[order] / 16.0, y[order]
    return x[:N_TRAIN], y[:N_TRAIN], x[N_TRAIN:], y[N_TRAIN:]


@functools.cache
def _error(c: float, gamma: float, class_weight: str, budget: int) -> float:
    from sklearn.svm import SVC

    x, y, x_val, y_val = _data()
    n = max(30, int(round(N_TRAIN * budget / FULL)))
    model = SVC(C=c, gamma=gamma, class_weight=None if class_weight == "none" else "balanced")
    model.fit(x[:n], y[:n])
    return float(1.0 - model.score(x_val, y_val))


def evaluate(params: Mapping[str, Any], budget: int) -> float:
    """Validation error after training on ``budget/27`` of the training rows."""
    return _error(float(params["C"]), float(params["gamma"]), str(params["class_weight"]), int(min(budget, FULL)))


def run(method: str, seed: int, budget: float) -> tuple[list[float], list[float], float]:
    """One run: (costs of the full-budget results, their errors, optimizer CPU seconds)."""
    options: dict[str, Any] = {}
    if method != "bo":
        options = {"max_iter": FULL, "eta": 3, "resource": {"name": "budget", "type": "int"}, "resume": False}
        if method == "hyperband":
            options["n_iterations"] = None
    algorithm = make_algorithm(method, SPACE, seed=seed, options=options)
    ledger, _, _, cpu = simulate(algorithm, evaluate, budget * FULL, resource="budget", full_epoch=FULL)
    return ledger.full_costs, ledger.full_values, cpu


def incumbent(costs: Sequence[float], values: Sequence[float], budget: float) -> float:
    seen = [v for c, v in zip(costs, values) if c <= budget * FULL + 1e-9]
    return min(seen) if seen else 1.0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.multifidelity.data_fraction")
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--budgets", type=float, nargs="+", default=[5, 10, 25])
    parser.add_argument("--methods", nargs="+", default=["bo", "freeze_thaw", "hyperband"])
    args = parser.parse_args(argv)
    if "bo" not in args.methods or args.seeds < 1:
        print("data_fraction: --methods must include bo (the baseline) and --seeds must be >= 1", file=sys.stderr)
        return 2
    started = _dt.datetime.now(_dt.UTC)
    errors: dict[str, np.ndarray] = {}
    cpu: dict[str, float] = {}
    for method in args.methods:
        rows, secs = [], []
        for seed in range(args.seeds):
            costs, values, seconds = run(method, seed, max(args.budgets))
            rows.append([incumbent(costs, values, b) for b in args.budgets])
            secs.append(seconds)
            print(f"{method} seed {seed}: " + " ".join(f"{e:.4f}" for e in rows[-1]), file=sys.stderr, flush=True)
        errors[method], cpu[method] = np.array(rows), float(np.mean(secs))
    print(f"command: python -m benchmarks.multifidelity.data_fraction {shlex.join(list(argv or sys.argv[1:]))}; "
          f"{started:%Y-%m-%d %H:%M} UTC; {platform.platform()}; {args.seeds} seeds\n")
    print("| method | " + " | ".join(f"error at {b:g}" for b in args.budgets) + " | optimizer s per run |")
    print("|---" * (len(args.budgets) + 2) + "|")
    for method in args.methods:
        means = errors[method].mean(axis=0)
        print(f"| {method} | " + " | ".join(f"{m:.4f}" for m in means) + f" | {cpu[method]:.1f} |")
    print("\nPaired 90% intervals of (method - bo) error:\n")
    for method in args.methods:
        if method == "bo":
            continue
        parts = []
        for j, b in enumerate(args.budgets):
            low, high = paired_interval(errors[method][:, j] - errors["bo"][:, j])
            parts.append(f"{b:g}: [{low:+.4f}, {high:+.4f}]")
        print(f"- {method}: " + "; ".join(parts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
