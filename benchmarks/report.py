"""Turn stored traces into the benchmark tables (no optimizer is rerun).

Usage::

    python -m benchmarks.report bench_results/latest [more runs ...] [--reference worst|median]
        [--budgets 10 25 50 100] [--by-family] [--per-problem] [--complete]

Definitions (all computed from ``traces.jsonl``):

- **normalized regret** at budget b of one run: the best value after b trials, normalized with
  the problem's optimum and reference (see :func:`~benchmarks.problems.normalized_regret`);
  the table shows its mean over problems and seeds.
- **average rank** at budget b: within each (problem, seed) the optimizers are ranked by their
  best value after b trials (1 = best, ties share the average rank); the table shows the mean
  over (problem, seed) cells.
- **ask+tell ms**: the median over every trial of every run of the optimizer's ask + tell time
  (or the mean over a trial window, e.g. ``--overhead-window 950:1050``), once in wall-clock
  time and once in the process's CPU time (robust to other load on a shared machine).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from scipy.stats import rankdata

from benchmarks.peers.base import Trace
from benchmarks.problems.base import normalized_regret

R = TypeVar("R")

DEFAULT_BUDGETS = (10, 25, 50, 100)
TRACES_FILE = "traces.jsonl"


def read_jsonl(path: str | Path, filename: str, parse: Callable[[dict[str, Any]], R]) -> list[R]:
    """Records from a JSON-lines file, or from ``filename`` inside a directory ``path``."""
    path = Path(path)
    if path.is_dir():
        path = path / filename
    with path.open() as fh:
        return [parse(json.loads(line)) for line in fh if line.strip()]


def write_jsonl(records: Iterable[Any], path: str | Path) -> None:
    """Records with a ``to_dict()`` as JSON lines (one per line)."""
    with Path(path).open("w") as fh:
        fh.writelines(json.dumps(record.to_dict()) + "\n" for record in records)


def load_traces(path: str | Path) -> list[Trace]:
    """Read traces from a ``traces.jsonl`` file or a directory holding one."""
    return read_jsonl(path, TRACES_FILE, Trace.from_dict)


def write_traces(traces: Iterable[Trace], path: str | Path) -> None:
    """Write traces as JSON lines (one run per line)."""
    write_jsonl(traces, path)


def merge_runs(runs: Sequence[Sequence[Trace]]) -> list[Trace]:
    """The traces of several runs; a later run's (optimizer, problem, seed) replaces an earlier one's.

    Lets a rerun of one optimizer (after a change) or extra seeds (``harness --first-seed``) join
    an earlier run's table.
    """
    merged: dict[tuple[str, str, int], Trace] = {}
    for traces in runs:
        for trace in traces:
            merged[(trace.optimizer, trace.problem, trace.seed)] = trace
    return list(merged.values())


def complete_cells(traces: Sequence[Trace]) -> list[Trace]:
    """The traces of the (problem, seed) cells that every optimizer has a trace for."""
    optimizers = set(optimizers_of(traces))
    ran: dict[tuple[str, int], set[str]] = {}
    for trace in traces:
        ran.setdefault((trace.problem, trace.seed), set()).add(trace.optimizer)
    return [t for t in traces if ran[(t.problem, t.seed)] == optimizers]


def run_regret(trace: Trace, budget: int, reference: str = "worst") -> float:
    """Normalized regret of one run after ``budget`` trials (1 when nothing succeeded)."""
    best = trace.best_at(budget)
    if math.isnan(best):
        return 1.0
    info = trace.info
    return float(
        normalized_regret(
            best,
            optimum=info["optimum"],
            reference=info[f"reference_{reference}"],
            direction=trace.direction,
        )
    )


def _loss_at(trace: Trace, budget: int) -> float:
    best = trace.best_at(budget)
    return math.inf if math.isnan(best) else trace.direction.sign() * best


def optimizers_of(traces: Sequence[Trace]) -> list[str]:
    """Optimizer names in order of first appearance."""
    return list(dict.fromkeys(t.optimizer for t in traces))


def mean_regret(
    traces: Sequence[Trace], budgets: Sequence[int], reference: str = "worst"
) -> dict[str, dict[int, float]]:
    """``{optimizer: {budget: mean normalized regret over problems and seeds}}``."""
    out: dict[str, dict[int, float]] = {}
    for name in optimizers_of(traces):
        runs = [t for t in traces if t.optimizer == name]
        out[name] = {b: float(np.mean([run_regret(t, b, reference) for t in runs])) for b in budgets}
    return out


def average_ranks(traces: Sequence[Trace], budgets: Sequence[int]) -> dict[str, dict[int, float]]:
    """``{optimizer: {budget: mean rank over (problem, seed) cells}}`` (1 = best, ties averaged).

    An optimizer is ranked only in the cells where it has a run.
    """
    cells: dict[tuple[str, int], list[Trace]] = defaultdict(list)
    for t in traces:
        cells[(t.problem, t.seed)].append(t)
    sums: dict[str, dict[int, list[float]]] = {n: {b: [] for b in budgets} for n in optimizers_of(traces)}
    for runs in cells.values():
        for b in budgets:
            ranks = rankdata([_loss_at(t, b) for t in runs], method="average")
            for t, r in zip(runs, ranks, strict=True):
                sums[t.optimizer][b].append(float(r))
    return {n: {b: float(np.mean(v)) if v else math.nan for b, v in per.items()} for n, per in sums.items()}


CLOCKS = ("wall", "cpu")


def overhead_ms(
    traces: Sequence[Trace], window: tuple[int, int] | None = None, clock: str = "wall"
) -> dict[str, float]:
    """Per optimizer: median ask+tell ms over all trials, or the mean over trials ``[start, stop)``.

    ``clock`` picks wall-clock (``"wall"``) or process CPU time (``"cpu"``).
    """
    if clock not in CLOCKS:
        raise ValueError(f"clock: must be one of {', '.join(CLOCKS)}; got {clock!r}")
    out: dict[str, float] = {}
    for name in optimizers_of(traces):
        runs = [t.overhead if clock == "wall" else t.overhead_cpu for t in traces if t.optimizer == name]
        start, stop = window if window is not None else (0, None)
        values = np.concatenate([np.asarray(r[start:stop], dtype=float) for r in runs])
        if not values.size:
            out[name] = math.nan
        else:
            out[name] = float(np.median(values) if window is None else np.mean(values)) * 1e3
    return out


@dataclass(frozen=True)
class Summary:
    """Everything one table shows."""

    optimizers: list[str]
    budgets: list[int]
    regret: dict[str, dict[int, float]]
    rank: dict[str, dict[int, float]]
    overhead: dict[str, float]
    overhead_cpu: dict[str, float]
    n_problems: int
    n_seeds: int
    reference: str
    overhead_label: str


def usable_budgets(traces: Sequence[Trace], budgets: Sequence[int]) -> list[int]:
    """The budgets no larger than the longest run (so a 10-trial run reports only @10)."""
    longest = max((len(t.values) for t in traces), default=0)
    return [b for b in budgets if b <= longest] or ([longest] if longest else [])


def summarize(
    traces: Sequence[Trace],
    budgets: Sequence[int] = DEFAULT_BUDGETS,
    *,
    reference: str = "worst",
    overhead_window: tuple[int, int] | None = None,
) -> Summary:
    """Compute the table's numbers from traces."""
    budgets = usable_budgets(traces, budgets)
    what = "median" if overhead_window is None else f"mean, trials {overhead_window[0]}-{overhead_window[1] - 1}"
    label = f"ask+tell ms ({what})"
    return Summary(
        optimizers=optimizers_of(traces),
        budgets=list(budgets),
        regret=mean_regret(traces, budgets, reference),
        rank=average_ranks(traces, budgets),
        overhead=overhead_ms(traces, overhead_window, "wall"),
        overhead_cpu=overhead_ms(traces, overhead_window, "cpu"),
        n_problems=len({t.problem for t in traces}),
        n_seeds=len({t.seed for t in traces}),
        reference=reference,
        overhead_label=label,
    )


def _fmt(x: float, digits: int) -> str:
    return "—" if math.isnan(x) else f"{x:.{digits}f}"


def render_markdown(summary: Summary) -> str:
    """The summary as a markdown table (regret and rank per budget, then overhead)."""
    bs = summary.budgets
    head = [
        "optimizer",
        *[f"regret@{b}" for b in bs],
        *[f"rank@{b}" for b in bs],
        f"{summary.overhead_label} wall",
        "CPU",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|"]
    for name in summary.optimizers:
        row = [name]
        row += [_fmt(summary.regret[name][b], 3) for b in bs]
        row += [_fmt(summary.rank[name][b], 2) for b in bs]
        row.append(_fmt(summary.overhead[name], 3))
        row.append(_fmt(summary.overhead_cpu[name], 3))
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def render_per_problem(traces: Sequence[Trace], budget: int, reference: str = "worst") -> str:
    """Mean normalized regret at ``budget`` per problem (rows) and optimizer (columns)."""
    names = optimizers_of(traces)
    problems = list(dict.fromkeys(t.problem for t in traces))
    lines = ["| problem | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for p in problems:
        row = [p]
        for n in names:
            runs = [t for t in traces if t.problem == p and t.optimizer == n]
            row.append(_fmt(float(np.mean([run_regret(t, budget, reference) for t in runs])), 3) if runs else "—")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def full_report(
    traces: Sequence[Trace],
    budgets: Sequence[int] = DEFAULT_BUDGETS,
    *,
    reference: str = "worst",
    by_family: bool = False,
    per_problem: bool = False,
    overhead_window: tuple[int, int] | None = None,
) -> str:
    """The main table, optionally followed by one table per family and a per-problem table."""
    summary = summarize(traces, budgets, reference=reference, overhead_window=overhead_window)
    parts = [
        (
            f"All problems ({summary.n_problems} problems x {summary.n_seeds} seeds, "
            f"regret normalized with the reference '{reference}'):"
        ),
        "",
        render_markdown(summary),
    ]
    if by_family:
        families: dict[str, list[Trace]] = defaultdict(list)
        for t in traces:
            families[str(t.info.get("family", "?"))].append(t)
        for fam, group in families.items():
            s = summarize(group, budgets, reference=reference, overhead_window=overhead_window)
            parts += ["", f"Family {fam} ({s.n_problems} problems x {s.n_seeds} seeds):", "", render_markdown(s)]
    if per_problem and summary.budgets:
        b = summary.budgets[-1]
        title = f"Per problem, mean normalized regret at {b} trials:"
        parts += ["", title, "", render_per_problem(traces, b, reference)]
    return "\n".join(parts)


def _window(text: str) -> tuple[int, int]:
    start, _, stop = text.partition(":")
    return int(start), int(stop)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.report", description="Tables from stored benchmark traces."
    )
    parser.add_argument("paths", nargs="+", metavar="path",
                        help="results directories (with traces.jsonl) or traces.jsonl files; a later one's "
                        "trace of an optimizer, problem and seed replaces an earlier one's")
    parser.add_argument("--budgets", type=int, nargs="+", default=list(DEFAULT_BUDGETS))
    parser.add_argument("--reference", choices=("worst", "median"), default="worst")
    parser.add_argument("--by-family", action="store_true", help="also one table per problem family")
    parser.add_argument("--per-problem", action="store_true", help="also regret per problem at the last budget")
    parser.add_argument("--complete", action="store_true",
                        help="only the (problem, seed) cells every optimizer ran (runs of unequal coverage)")
    parser.add_argument("--overhead-window", type=_window, default=None, metavar="START:STOP",
                        help="report the mean ask+tell time over trials [START, STOP) instead of the median")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    runs: list[list[Trace]] = []
    for path in args.paths:
        try:
            runs.append(load_traces(path))
        except (OSError, ValueError, KeyError) as exc:
            print(f"report: cannot read traces from {path}: {exc}", file=sys.stderr)
            return 2
    traces = merge_runs(runs)
    if not traces:
        print(f"report: no traces in {' '.join(args.paths)}", file=sys.stderr)
        return 2
    if args.complete:
        traces = complete_cells(traces)
        if not traces:
            print("report: --complete: no (problem, seed) cell was run by every optimizer; "
                  "run the missing ones or leave out --complete", file=sys.stderr)
            return 2
    print(full_report(traces, args.budgets, reference=args.reference, by_family=args.by_family,
                      per_problem=args.per_problem, overhead_window=args.overhead_window))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
