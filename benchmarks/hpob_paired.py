"""Paired comparison of HPO-B result files against a reference method.

Usage::

    python -m benchmarks.hpob_paired --reference generative=RESULTS.json bo=bo.json tpe=tpe.json ... \\
        [--marks 10 25 50]

Each ``LABEL=FILE`` is one method's HPO-B result file (``{space: {dataset: {seed: [incumbents]}}}``,
as ``benchmarks.metadata.evaluate`` and ``hypersweep.hpob.save_results`` write). Runs are paired by
(space, dataset, seed) over the runs every file has. Prints mean normalized regret at each mark
(only marks every file reaches) and, per method, the mean paired difference (method minus the
reference: positive = the reference is better) with its 90% t-interval.
"""
from __future__ import annotations

import argparse
from collections.abc import Sequence

import numpy as np
from scipy import stats

from hypersweep.hpob import load_results


def paired(diff: np.ndarray, level: float = 0.90) -> tuple[float, float, float]:
    """Mean of paired differences and its two-sided ``level`` t-interval."""
    mean, n = float(np.mean(diff)), len(diff)
    if n < 2 or np.std(diff) == 0:
        return mean, mean, mean
    half = float(stats.t.ppf(0.5 + level / 2, n - 1) * np.std(diff, ddof=1) / np.sqrt(n))
    return mean, mean - half, mean + half


def regrets(files: dict[str, str]) -> tuple[dict[str, np.ndarray], int]:
    """``{label: (runs, trials + 1)}`` regret over the runs common to every file, and their count."""
    loaded = {label: load_results(path) for label, path in files.items()}
    keys = set.intersection(*({(s, d, k) for s, ds in res.items() for d, runs in ds.items() for k in runs}
                              for res in loaded.values()))
    order = sorted(keys)
    length = min(len(res[s][d][k]) for res in loaded.values() for s, d, k in order)
    return {label: 1.0 - np.array([res[s][d][k][:length] for s, d, k in order])
            for label, res in loaded.items()}, len(order)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reference", required=True, help="LABEL=FILE of the method the others are compared to")
    parser.add_argument("files", nargs="+", help="LABEL=FILE of each other method")
    parser.add_argument("--marks", type=int, nargs="+", default=[10, 25, 50])
    args = parser.parse_args(argv)
    ref_label, _ = args.reference.split("=", 1)
    files = dict(spec.split("=", 1) for spec in [args.reference, *args.files])
    regret, n_runs = regrets(files)
    marks = [m for m in args.marks if m < regret[ref_label].shape[1]]
    print(f"{n_runs} paired runs; reference {ref_label}")
    print("| method | " + " | ".join(f"@{m}" for m in marks) + " | "
          + " | ".join(f"minus {ref_label} @{m} (90% CI)" for m in marks) + " |")
    print("|---|" + "---:|" * len(marks) + "---|" * len(marks))
    for label, r in regret.items():
        cells = [f"{r[:, m].mean():.4f}" for m in marks]
        for m in marks:
            if label == ref_label:
                cells.append("-")
            else:
                mean, low, high = paired(r[:, m] - regret[ref_label][:, m])
                cells.append(f"{mean:+.4f} [{low:+.4f}, {high:+.4f}]")
        print(f"| {label} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
