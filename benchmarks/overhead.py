"""Overhead mode: ask + tell time per trial of hypersweep's model-based algorithms vs Optuna's samplers.

Usage::

    python -m benchmarks.overhead --out bench_results/overhead

Runs, in one invocation, each optimizer for one sequential run on the cheap 10-dimensional
``sphere10`` objective (:func:`~benchmarks.problems.synthetic.sphere`) and reports
the mean ask + tell time over a window of trials:

=========================================  ===============================  ===========
hypersweep                                 compared with                    window
=========================================  ===============================  ===========
``tpe``, ``smac`` (memory, SQLite)         Optuna TPESampler (same storage)  950-1049
``bo`` (memory, SQLite)                    Optuna GPSampler (same storage)   150-249
=========================================  ===============================  ===========

The ratio column is hypersweep's mean CPU time over the Optuna sampler's (the issue's target
is at most 1/3). CPU time of the process is the primary clock because the benchmark machine is
shared; wall-clock time is shown too. Optimizers that are not registered or not installed are
skipped with a line on stderr. Traces go to ``--out`` (``traces.jsonl``, ``meta.json``,
``table.md``); ``python -m benchmarks.report DIR --overhead-window 950:1050``
remakes the 1,000-trial part of the table from them.
"""
from __future__ import annotations

import argparse
import json
import platform
import shlex
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks import report
from benchmarks.harness import _versions, run_cell, select_optimizers
from benchmarks.peers import Trace

PROBLEM = "sphere10"


@dataclass(frozen=True)
class Group:
    """Optimizers compared at one window: hypersweep algorithms vs one Optuna peer."""

    algorithms: tuple[str, ...]
    peer: str
    window: tuple[int, int]


GROUPS = (
    Group(("tpe", "smac"), "optuna-tpe", (950, 1050)),
    Group(("bo",), "optuna-gp", (150, 250)),
)


def _mean_ms(trace: Trace, window: tuple[int, int], clock: str) -> float:
    values = trace.overhead_cpu if clock == "cpu" else trace.overhead
    part = np.asarray(values[window[0]:window[1]], dtype=float)
    return float(part.mean() * 1e3) if part.size else float("nan")


def overhead_table(rows: Sequence[tuple[str, str, str, Trace | None, Trace | None, tuple[int, int]]]) -> str:
    """Markdown table: one row per (algorithm, storage) with its peer and the CPU ratio."""
    lines = [
        "| algorithm | storage | trials | ms CPU | ms wall | peer | peer ms CPU | peer ms wall | ratio (CPU) |",
        "|---|---|---|---:|---:|---|---:|---:|---:|",
    ]
    for algo, storage, peer, mine, theirs, window in rows:
        span = f"{window[0]}-{window[1] - 1}"
        a_cpu = _mean_ms(mine, window, "cpu") if mine else float("nan")
        a_wall = _mean_ms(mine, window, "wall") if mine else float("nan")
        p_cpu = _mean_ms(theirs, window, "cpu") if theirs else float("nan")
        p_wall = _mean_ms(theirs, window, "wall") if theirs else float("nan")
        ratio = a_cpu / p_cpu if theirs and mine and p_cpu > 0 else float("nan")
        lines.append(
            f"| {algo} | {storage} | {span} | {a_cpu:.2f} | {a_wall:.2f} | {peer} | {p_cpu:.2f} | {p_wall:.2f} | {ratio:.2f} |"
        )
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.overhead",
        description="Mean ask+tell time around trial 1,000 (tpe, smac) and 200 (bo) vs Optuna, on sphere10.",
    )
    parser.add_argument("--out", type=Path, default=Path("bench_results/overhead"))
    parser.add_argument("--storage", choices=("memory", "sqlite", "both"), default="both")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--algorithms", nargs="*", default=None,
                        help="restrict to these hypersweep algorithms (default: tpe smac bo)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    storages = ("memory", "sqlite") if args.storage == "both" else (args.storage,)
    traces: list[Trace] = []
    rows = []
    skipped_all: list[str] = []
    for group in GROUPS:
        algos = [a for a in group.algorithms if args.algorithms is None or a in args.algorithms]
        if not algos:
            continue
        n_trials = group.window[1]
        for storage in storages:
            sfx = "" if storage == "memory" else "@sqlite"
            specs, skipped = select_optimizers([a + sfx for a in algos], [group.peer + sfx])
            skipped_all.extend(skipped)
            for line in skipped:
                print(f"overhead: {line}", file=sys.stderr)
            result = run_cell(PROBLEM, args.seed, specs, n_trials)
            for line in result.errors:
                print(f"overhead: error: {line}", file=sys.stderr)
            found = [Trace.from_dict(t) for t in result.traces]
            traces.extend(found)
            peer = next((t for t in found if not t.optimizer.startswith("hypersweep:")), None)
            for algo in algos:
                mine = next((t for t in found if t.optimizer == f"hypersweep:{algo}{sfx}"), None)
                if mine is not None:
                    rows.append((algo, storage, group.peer + sfx, mine, peer, group.window))
    if not rows:
        print("overhead: nothing could run", file=sys.stderr)
        return 2
    table = overhead_table(rows)
    args.out.mkdir(parents=True, exist_ok=True)
    report.write_traces(traces, args.out / report.TRACES_FILE)
    meta = {
        "command": "python -m benchmarks.overhead " + shlex.join(list(argv if argv is not None else sys.argv[1:])),
        "machine": {"platform": platform.platform(), "processor": platform.processor() or platform.machine()},
        "versions": _versions(),
        "problem": PROBLEM,
        "skipped": skipped_all,
    }
    (args.out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    (args.out / "table.md").write_text(table + "\n")
    print(table)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
