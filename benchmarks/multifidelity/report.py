"""Tables and learning-curve plots from stored multi-fidelity runs (``runs.jsonl``).

Usage::

    python -m benchmarks.multifidelity.report bench_results/mf [more folders] [--reference median] [--plots]
        [--compare bohb_gp bo]

Definitions: the **budget** is counted in full trainings (one = ``full_epoch`` epochs, 52 on
LCBench); the **regret** of a run at budget ``b`` is the normalized regret
(:func:`~benchmarks.problems.base.normalized_regret`) of its incumbent, the best
configuration trained to full fidelity within ``b x full_epoch`` epochs (1 before any); the
**rank** ranks the methods by incumbent within each (problem, seed) cell (1 = best, ties
averaged); **utilization** is the busy fraction of the simulated workers' time.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from scipy.stats import rankdata

from benchmarks.multifidelity.simulate import MFRun
from benchmarks.report import read_jsonl, write_jsonl

RUNS_FILE = "runs.jsonl"
DEFAULT_BUDGETS = (10, 25, 50, 100)
#: plots draw regrets below this at this value (log scale)
FLOOR = 1e-3


def write_runs(runs: Iterable[MFRun], path: str | Path) -> None:
    write_jsonl(runs, path)


def load_runs(path: str | Path) -> list[MFRun]:
    """Runs from a ``runs.jsonl`` file or a directory holding one."""
    return read_jsonl(path, RUNS_FILE, MFRun.from_dict)


def complete_cells(runs: Sequence[MFRun]) -> tuple[list[MFRun], int]:
    """The runs of the (problem, seed) cells every label has run, and how many cells were dropped
    (an interrupted benchmark leaves some cells partial)."""
    labels = set(labels_of(runs))
    cells: dict[tuple[str, int], set[str]] = defaultdict(set)
    for r in runs:
        cells[(r.problem, r.seed)].add(r.label)
    keep = {c for c, have in cells.items() if have == labels}
    return [r for r in runs if (r.problem, r.seed) in keep], len(cells) - len(keep)


def labels_of(runs: Sequence[MFRun]) -> list[str]:
    return list(dict.fromkeys(r.label for r in runs))


def _full_epoch(runs: Sequence[MFRun]) -> int:
    return int(runs[0].info.get("full_epoch", 52)) if runs else 52


def mean_regret(runs: Sequence[MFRun], budgets: Sequence[float], reference: str = "worst") -> dict[str, list[float]]:
    """``{label: [mean normalized regret at each budget (full trainings)]}`` over problems and seeds."""
    fe = _full_epoch(runs)
    out: dict[str, list[float]] = {}
    for name in labels_of(runs):
        group = [r for r in runs if r.label == name]
        out[name] = [float(np.mean([r.regret_at(b * fe, reference) for r in group])) for b in budgets]
    return out


def average_ranks(runs: Sequence[MFRun], budgets: Sequence[float]) -> dict[str, list[float]]:
    """``{label: [mean rank at each budget]}``, ranking incumbents within each (problem, seed) cell."""
    fe = _full_epoch(runs)
    cells: dict[tuple[str, int], list[MFRun]] = defaultdict(list)
    for r in runs:
        cells[(r.problem, r.seed)].append(r)
    ranks: dict[str, list[list[float]]] = {n: [[] for _ in budgets] for n in labels_of(runs)}
    for group in cells.values():
        for j, b in enumerate(budgets):
            values = [r.incumbent_at(b * fe) for r in group]
            for r, rank in zip(group, rankdata([math.inf if math.isnan(v) else v for v in values]), strict=True):
                ranks[r.label][j].append(float(rank))
    return {n: [float(np.mean(v)) if v else math.nan for v in per] for n, per in ranks.items()}


def _mean(runs: Sequence[MFRun], name: str, attr: str) -> float:
    return float(np.mean([getattr(r, attr) for r in runs if r.label == name]))


def regret_table(runs: Sequence[MFRun], budgets: Sequence[float], reference: str = "worst") -> str:
    """Markdown: mean regret and mean rank per budget, trials per run, utilization, CPU per run."""
    regret, rank = mean_regret(runs, budgets, reference), average_ranks(runs, budgets)
    best = {j: min(regret[n][j] for n in regret) for j in range(len(budgets))}
    head = ["method", *[f"regret@{b:g}" for b in budgets], *[f"rank@{b:g}" for b in budgets],
            "trials/run", "full/run", "utilization", "CPU s/run"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|"]
    for name in labels_of(runs):
        cells = [f"**{v:.3f}**" if v == best[j] else f"{v:.3f}" for j, v in enumerate(regret[name])]
        cells += [f"{v:.2f}" for v in rank[name]]
        group = [r for r in runs if r.label == name]
        cells += [f"{np.mean([r.n_trials for r in group]):.0f}", f"{np.mean([len(r.full_values) for r in group]):.1f}",
                  f"{_mean(runs, name, 'utilization'):.3f}", f"{_mean(runs, name, 'cpu_s'):.2f}"]
        lines.append("| " + " | ".join([name, *cells]) + " |")
    return "\n".join(lines)


def per_problem_table(runs: Sequence[MFRun], budget: float, reference: str = "worst") -> str:
    """Markdown: mean regret at ``budget`` per problem (rows) and method (columns)."""
    fe, names = _full_epoch(runs), labels_of(runs)
    lines = ["| problem | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for p in dict.fromkeys(r.problem for r in runs):
        row = [p]
        for n in names:
            group = [r.regret_at(budget * fe, reference) for r in runs if r.problem == p and r.label == n]
            row.append(f"{np.mean(group):.3f}" if group else "—")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def parallel_table(runs: Sequence[MFRun], budgets: Sequence[float], reference: str = "worst") -> str:
    """Markdown: each method run with several workers against its sequential run (regret ratio)."""
    regret = mean_regret(runs, budgets, reference)
    lines = ["| method | workers | utilization | " + " | ".join(f"parallel/sequential regret@{b:g}" for b in budgets)
             + " |", "|---|---:|---:|" + "---:|" * len(budgets)]
    for r_label in labels_of(runs):
        group = [r for r in runs if r.label == r_label]
        if group[0].workers == 1 or group[0].method not in regret:
            continue
        seq = regret[group[0].method]
        ratios = [f"{p / s:.2f}" if s > 0 else "—" for p, s in zip(regret[r_label], seq, strict=True)]
        util = f"{np.mean([r.utilization for r in group]):.3f}"
        lines.append(f"| {group[0].method} | {group[0].workers} | {util} | " + " | ".join(ratios) + " |")
    return "\n".join(lines)


def paired_table(runs: Sequence[MFRun], budgets: Sequence[float], a: str, b: str, reference: str = "worst",
                 *, n_boot: int = 2000) -> str:
    """Markdown: method ``a`` against ``b`` cell by cell (same problem and seed) at each budget.

    Columns: mean regret difference a - b, its 90% bootstrap interval over cells, and how many
    cells ``a``'s incumbent beats, ties or loses to ``b``'s.
    """
    fe = _full_epoch(runs)
    by_cell = {(r.problem, r.seed, r.label): r for r in runs}
    cells = sorted({(p, s) for p, s, label in by_cell if label == a} & {(p, s) for p, s, label in by_cell if label == b})
    if not cells:
        raise ValueError(f"--compare: no (problem, seed) cell has both {a!r} and {b!r}; have {', '.join(labels_of(runs))}")
    rng = np.random.default_rng(0)
    lines = [f"| {a} - {b} | mean difference | 90% interval | {a} better / tie / worse |", "|---|---:|---:|---:|"]
    for budget in budgets:
        diffs = np.array([by_cell[(*c, a)].regret_at(budget * fe, reference)
                          - by_cell[(*c, b)].regret_at(budget * fe, reference) for c in cells])
        boot = diffs[rng.integers(0, diffs.size, size=(n_boot, diffs.size))].mean(axis=1)
        low, high = np.percentile(boot, [5, 95])
        better, worse = int(np.sum(diffs < -1e-12)), int(np.sum(diffs > 1e-12))
        mean = round(float(diffs.mean()), 4) + 0.0  # no "-0.0000"
        lines.append(f"| {budget:g} full trainings | {mean:+.4f} | [{low:+.4f}, {high:+.4f}] | "
                     f"{better} / {diffs.size - better - worse} / {worse} |")
    return "\n".join(lines)


def full_report(runs: Sequence[MFRun], budgets: Sequence[float] = DEFAULT_BUDGETS, *, reference: str = "worst",
                per_problem: float | None = 25) -> str:
    n_p, n_s = len({r.problem for r in runs}), len({r.seed for r in runs})
    title = (f"{n_p} problems x {n_s} seeds; budget in full trainings of {_full_epoch(runs)} epochs; "
             f"regret normalized with the reference '{reference}':")
    parts = [title, "", regret_table(runs, budgets, reference)]
    if any(r.workers > 1 for r in runs):
        parts += ["", "Simulated workers (utilization = busy fraction of worker time):", "",
                  parallel_table(runs, budgets, reference)]
    if per_problem is not None:
        parts += ["", f"Per problem, mean regret at {per_problem:g} full trainings:", "",
                  per_problem_table(runs, per_problem, reference)]
    return "\n".join(parts)


def plot(runs: Sequence[MFRun], out: str | Path, *, reference: str = "worst", max_budget: float | None = None) -> list[Path]:
    """Write ``regret_vs_budget.png`` (mean over problems and seeds) and ``regret_per_problem.png``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(out)
    top = max_budget or max(DEFAULT_BUDGETS)
    grid = np.geomspace(0.5, top, 120)
    names = labels_of(runs)
    colors = {m: plt.cm.tab10(i % 10) for i, m in enumerate(dict.fromkeys(r.method for r in runs))}

    def draw(ax: object, group: Sequence[MFRun]) -> None:
        curves = mean_regret(group, grid, reference)
        for name in names:
            if name in curves:
                run0 = next(r for r in group if r.label == name)
                ax.plot(grid, np.maximum(curves[name], FLOOR), label=name, color=colors[run0.method],
                        linestyle="-" if run0.workers == 1 else "--")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_ylim(FLOOR * 0.9, 1.1)
        ax.grid(True, which="both", alpha=0.3)

    fig, ax = plt.subplots(figsize=(8, 5.5))
    draw(ax, runs)
    ax.set_xlabel("budget (full trainings of 52 epochs)")
    ax.set_ylabel(f"mean normalized regret (reference '{reference}', floor {FLOOR:g})")
    ax.set_title(f"LCBench, {len({r.problem for r in runs})} tasks x {len({r.seed for r in runs})} seeds")
    ax.legend(fontsize=8, ncol=2)
    fig.tight_layout()
    paths = [out / "regret_vs_budget.png"]
    fig.savefig(paths[0], dpi=110)
    plt.close(fig)

    problems = list(dict.fromkeys(r.problem for r in runs))
    cols = min(4, len(problems))
    rows = math.ceil(len(problems) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 3.2 * rows), squeeze=False)
    for ax, p in zip(axes.flat, problems, strict=False):
        draw(ax, [r for r in runs if r.problem == p])
        ax.set_title(p, fontsize=9)
    for ax in list(axes.flat)[len(problems):]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=6)
    fig.tight_layout()
    paths.append(out / "regret_per_problem.png")
    fig.savefig(paths[1], dpi=90)
    plt.close(fig)
    return paths


def _methods(paths: Sequence[str]) -> list[str]:
    """The methods in the order of the first ``meta.json`` next to ``paths`` (empty without one)."""
    for path in paths:
        meta = (Path(path) if Path(path).is_dir() else Path(path).parent) / "meta.json"
        if meta.is_file():
            return list(json.loads(meta.read_text()).get("methods", []))
    return []


def _order(run: MFRun, methods: Sequence[str]) -> tuple[int, int]:
    return (methods.index(run.method) if run.method in methods else len(methods), run.workers)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.multifidelity.report",
                                     description="Tables (and plots) from stored multi-fidelity runs.")
    parser.add_argument("paths", nargs="+", help="results directories (with runs.jsonl) or runs.jsonl files, "
                        "merged (e.g. seed chunks)")
    parser.add_argument("--budgets", type=float, nargs="+", default=list(DEFAULT_BUDGETS))
    parser.add_argument("--reference", choices=("worst", "median"), default="worst")
    parser.add_argument("--plots", action="store_true", help="also rewrite the plots next to runs.jsonl")
    parser.add_argument("--out", type=Path, default=None, help="folder for the plots (default: the first path)")
    parser.add_argument("--compare", nargs=2, action="append", default=[], metavar=("A", "B"),
                        help="also compare method A with B cell by cell (repeatable), e.g. --compare bohb_gp bo")
    args = parser.parse_args(argv)
    try:
        runs = [run for path in args.paths for run in load_runs(path)]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"report: cannot read runs from {' '.join(args.paths)}: {exc}", file=sys.stderr)
        return 2
    if not runs:
        print(f"report: no runs in {' '.join(args.paths)}", file=sys.stderr)
        return 2
    runs, dropped = complete_cells(sorted(runs, key=lambda r: _order(r, _methods(args.paths))))
    if dropped:
        print(f"report: left out {dropped} (problem, seed) cells that not every method finished", file=sys.stderr)
    print(full_report(runs, args.budgets, reference=args.reference))
    for a, b in args.compare:
        try:
            table = paired_table(runs, args.budgets, a, b, args.reference)
        except ValueError as exc:
            print(f"report: {exc}", file=sys.stderr)
            return 2
        print(f"\nPaired, cell by cell (negative: {a} has lower regret):\n\n{table}")
    if args.plots:
        folder = args.out or (Path(args.paths[0]) if Path(args.paths[0]).is_dir() else Path(args.paths[0]).parent)
        folder.mkdir(parents=True, exist_ok=True)
        for path in plot(runs, folder, reference=args.reference, max_budget=max(args.budgets)):
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
