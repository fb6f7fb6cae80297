"""Time-to-score: ``SweepHalvingSearchCV`` (hyperband, asha) against scikit-learn's ``HalvingRandomSearchCV``.

Usage::

    python -m benchmarks.sklearn_halving --seeds 5

Tunes an RBF ``SVC`` (``C``, ``gamma`` log-uniform) on 1,200 rows of the digits data with the
number of training samples as the budget, 3-fold CV, one process; the other 597 rows are a
holdout. For each method and seed it records the wall time of ``fit``, the number of candidates
evaluated, the best CV score and the refitted best estimator's holdout accuracy, and prints a
markdown table of medians (and the command, date and machine, for docs/benchmarks.md).
"""
from __future__ import annotations

import argparse
import datetime
import os
import platform
import shlex
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from scipy.stats import loguniform
from sklearn.datasets import load_digits
from sklearn.experimental import enable_halving_search_cv  # noqa: F401  (makes HalvingRandomSearchCV importable)
from sklearn.model_selection import HalvingRandomSearchCV
from sklearn.svm import SVC

from hypersweep.sklearn import SweepHalvingSearchCV

SPACE = {"C": loguniform(1e-2, 1e3), "gamma": loguniform(1e-5, 1e-1)}
METHODS: dict[str, Callable[[int], Any]] = {
    "HalvingRandomSearchCV (factor 3)": lambda seed: HalvingRandomSearchCV(SVC(), SPACE, factor=3, cv=3, random_state=seed),
    "SweepHalvingSearchCV hyperband (eta 3)": lambda seed: SweepHalvingSearchCV(SVC(), SPACE, eta=3, cv=3, random_state=seed),
    "SweepHalvingSearchCV asha (eta 3, 40 trials)": lambda seed: SweepHalvingSearchCV(
        SVC(), SPACE, algorithm="asha", n_trials=40, eta=3, cv=3, random_state=seed
    ),
}


def run(seeds: int) -> list[tuple[str, float, float, float, float]]:
    """Per method: median fit seconds, candidates, best CV score and holdout accuracy over ``seeds``."""
    X, y = load_digits(return_X_y=True)
    order = np.random.default_rng(0).permutation(len(y))
    train, test = order[:1200], order[1200:]
    rows = []
    for label, make in METHODS.items():
        times, counts, cv_scores, holdout = [], [], [], []
        for seed in range(seeds):
            search = make(seed)
            start = time.perf_counter()
            search.fit(X[train], y[train])
            times.append(time.perf_counter() - start)
            counts.append(len(search.cv_results_["params"]))
            cv_scores.append(search.best_score_)
            holdout.append(search.score(X[test], y[test]))
        rows.append((label, *(float(np.median(v)) for v in (times, counts, cv_scores, holdout))))
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args(argv)
    rows = run(args.seeds)
    print(f"command: python -m benchmarks.sklearn_halving {shlex.join(argv or sys.argv[1:])}")
    print(f"date: {datetime.date.today()}; machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}")
    print("| method | fit time (s) | candidates | best CV accuracy | holdout accuracy |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, seconds, count, cv_score, accuracy in rows:
        print(f"| {label} | {seconds:.1f} | {count:.0f} | {cv_score:.4f} | {accuracy:.4f} |")


if __name__ == "__main__":
    main()
