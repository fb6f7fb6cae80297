"""Issue 27's targets from stored multi-fidelity runs: a method against full-fidelity ``bo`` and the peers.

Usage::

    python -m benchmarks.multifidelity.targets bench_results/mf [more folders] --method freeze_thaw \\
        --baseline bo --peers optuna-hb dehb smac-hb [--tasks 3945 7593 ...]

Prints, over the (task, seed) cells every compared label has run:

- mean regret at 10 / 25 / 50 / 100 / 200 full trainings, the ratio method / baseline and a paired
  90% bootstrap interval of the difference (method - baseline; below 0: the method is better);
- the **speed-up** to reach the baseline's 50-training regret: per cell ``50 / b`` with ``b`` the
  smallest budget (full trainings) at which the method's incumbent is at least as good (200 when it
  never is within 200), as a geometric mean per task and over all cells; and the stricter variant
  that divides the budget the baseline itself needed to first reach that regret;
- the same without clipping at 0 (the reference optimum is the best of a random sample, which both
  methods usually beat within 25 full trainings);
- the ratio method / best peer (lowest mean regret at that budget) at 25, 50 and 100;
- optimizer CPU seconds per run (``suggest`` + ``tell``; peers: their ask / tell), with the ratio
  to the baseline's.
"""
from __future__ import annotations

import argparse
import math
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from benchmarks.multifidelity.report import load_runs
from benchmarks.multifidelity.simulate import MFRun

BUDGETS = (10, 25, 50, 100, 200)
TARGET_BUDGET = 50
CAP = 200
_RESAMPLES = 4000


def cells(runs: Sequence[MFRun], labels: Sequence[str]) -> dict[tuple[str, int], dict[str, MFRun]]:
    """(problem, seed) -> label -> run, for the cells where every label has a run."""
    table: dict[tuple[str, int], dict[str, MFRun]] = defaultdict(dict)
    for run in runs:
        if run.label in labels:
            table[(run.problem, run.seed)][run.label] = run
    return {cell: by for cell, by in sorted(table.items()) if all(label in by for label in labels)}


def paired_interval(diffs: np.ndarray, level: float = 0.9, seed: int = 0) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean of paired differences."""
    rng = np.random.default_rng(seed)
    means = diffs[rng.integers(0, diffs.size, size=(_RESAMPLES, diffs.size))].mean(axis=1)
    tail = (1 - level) / 2 * 100
    return float(np.percentile(means, tail)), float(np.percentile(means, 100 - tail))


def unclipped(run: MFRun, epochs: float) -> float:
    """The incumbent's normalized distance to the reference optimum, not clipped (1 before any result)."""
    best = run.incumbent_at(epochs)
    if math.isnan(best):
        return 1.0
    optimum, worst = run.info["optimum"], run.info["reference_worst"]
    return float((best - optimum) / (worst - optimum)) if worst != optimum else 0.0


def budget_to_reach(run: MFRun, regret: float, full_epoch: int) -> float:
    """Smallest budget (full trainings) at which ``run``'s regret is at most ``regret`` (CAP if never)."""
    for cost in sorted(run.full_costs):
        b = cost / full_epoch
        if b > CAP + 1e-9:
            break
        if run.regret_at(cost) <= regret + 1e-12:
            return max(b, 1e-9)
    return float(CAP)


def report(runs: Sequence[MFRun], method: str, baseline: str, peers: Sequence[str]) -> str:
    present_peers = [p for p in peers if any(r.label == p for r in runs)]
    table = cells(runs, [method, baseline, *present_peers])
    if not table:
        return f"no (task, seed) cell has runs of {method}, {baseline} and {', '.join(present_peers) or 'no peer'}"
    full_epoch = int(next(iter(table.values()))[method].info.get("full_epoch", 52))
    lines = [f"{len(table)} cells ({len({c[0] for c in table})} tasks); peers: {', '.join(present_peers) or 'none'}", ""]
    lines += ["| budget | " + " | ".join([method, baseline, *present_peers]) + f" | {method}/{baseline} | "
              "paired 90% interval of the difference |",
              "|---" * (len(present_peers) + 5) + "|"]
    for b in BUDGETS:
        regrets = {label: np.array([by[label].regret_at(b * full_epoch) for by in table.values()])
                   for label in [method, baseline, *present_peers]}
        diff = regrets[method] - regrets[baseline]
        low, high = paired_interval(diff)
        ratio = regrets[method].mean() / regrets[baseline].mean() if regrets[baseline].mean() > 0 else math.inf
        row = " | ".join(f"{regrets[label].mean():.4f}" for label in [method, baseline, *present_peers])
        lines.append(f"| {b} | {row} | {ratio:.2f} | [{low:+.4f}, {high:+.4f}] |")
    lines += ["", "Unclipped: (incumbent - reference optimum) / (worst reference - optimum), negative when the "
              "incumbent beats the best of the reference sample (which clipped regret counts as 0):", "",
              f"| budget | {method} | {baseline} | paired 90% interval of the difference |", "|---|---|---|---|"]
    for b in BUDGETS:
        values = {label: np.array([unclipped(by[label], b * full_epoch) for by in table.values()])
                  for label in (method, baseline)}
        low, high = paired_interval(values[method] - values[baseline])
        lines.append(f"| {b} | {values[method].mean():+.4f} | {values[baseline].mean():+.4f} | [{low:+.4f}, {high:+.4f}] |")
    lines += ["", f"Speed-up to reach {baseline}'s {TARGET_BUDGET}-training regret (geometric mean; never: {CAP}):", "",
              "| task | cells | speed-up 50/b | strict (b_baseline/b) |", "|---|---|---|---|"]
    per_task: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for (problem, _seed), by in table.items():
        target = by[baseline].regret_at(TARGET_BUDGET * full_epoch)
        needed = budget_to_reach(by[method], target, full_epoch)
        own = min(budget_to_reach(by[baseline], target, full_epoch), TARGET_BUDGET)
        per_task[problem].append((TARGET_BUDGET / needed, own / needed))
    every = [s for speeds in per_task.values() for s in speeds]
    for problem, speeds in sorted(per_task.items()):
        lines.append(f"| {problem} | {len(speeds)} | {_gmean([s[0] for s in speeds]):.2f} | {_gmean([s[1] for s in speeds]):.2f} |")
    lines.append(f"| all | {len(every)} | **{_gmean([s[0] for s in every]):.2f}** | {_gmean([s[1] for s in every]):.2f} |")
    if present_peers:
        lines += ["", f"{method} against the best peer:", "", "| budget | best peer | its regret | ratio |", "|---|---|---|---|"]
        for b in (25, 50, 100):
            means = {p: np.mean([by[p].regret_at(b * full_epoch) for by in table.values()]) for p in present_peers}
            best = min(means, key=means.__getitem__)
            mine = np.mean([by[method].regret_at(b * full_epoch) for by in table.values()])
            lines.append(f"| {b} | {best} | {means[best]:.4f} | {mine / means[best]:.2f} |" if means[best] > 0
                         else f"| {b} | {best} | 0 | - |")
    cpu = {label: np.mean([by[label].cpu_s for by in table.values()]) for label in [method, baseline, *present_peers]}
    lines += ["", "Optimizer CPU seconds per run: " + ", ".join(f"{k} {v:.1f}" for k, v in cpu.items())
              + f"; {method}/{baseline} = {cpu[method] / cpu[baseline]:.2f}"]
    return "\n".join(lines)


def _gmean(values: Sequence[float]) -> float:
    return float(math.exp(np.mean(np.log(values))))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.multifidelity.targets", description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="+")
    parser.add_argument("--method", default="freeze_thaw")
    parser.add_argument("--baseline", default="bo")
    parser.add_argument("--peers", nargs="*", default=["optuna-hb", "dehb", "smac-hb"])
    parser.add_argument("--tasks", nargs="*", help="only these LCBench task ids (default: every task in the runs)")
    args = parser.parse_args(argv)
    runs = [r for folder in args.folders for r in load_runs(folder)]
    if args.tasks:
        runs = [r for r in runs if r.problem.rpartition("/")[2] in args.tasks]
    print(report(runs, args.method, args.baseline, args.peers))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
