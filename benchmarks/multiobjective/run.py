"""Run the multi-objective benchmark and print its table.

    python -m benchmarks.multiobjective.run --seeds 10 --trials 100 --jobs 2 --out mo.jsonl
    python -m benchmarks.multiobjective.run --table mo.jsonl      # the table of finished runs

Each finished run (method, problem, seed) is appended to ``--out`` as one JSON line with its
normalized hypervolume after 25, 50 and 100 trials, its feasible-trial rate and its mean
ask+tell seconds, so an interrupted benchmark keeps what it measured; rerunning with the same
``--out`` and ``--trials`` skips the finished runs (another ``--trials`` is refused).
The table averages over seeds, then over problems (every method on the same problems and seeds).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

import numpy as np

CHECKPOINTS = (25, 50, 100)


def run_one(method: str, problem_name: str, seed: int, n_trials: int) -> dict[str, Any]:
    """One run's figures."""
    from benchmarks.multiobjective.methods import METHODS
    from benchmarks.multiobjective.problems import problems

    problem = problems()[problem_name]()
    assert problem is not None
    start = time.perf_counter()
    results, seconds = METHODS[method](problem, n_trials, seed)
    return {
        "method": method, "problem": problem_name, "seed": seed, "n_trials": n_trials,
        "hv": {str(n): problem.normalized_hypervolume(results[:n]) for n in CHECKPOINTS if n <= n_trials},
        "feasible_rate": float(np.mean([problem.feasible(r) for r in results])),
        "feasible": {str(n): float(np.mean([problem.feasible(r) for r in results[:n]])) for n in CHECKPOINTS if n <= n_trials},
        "overhead_s": float(np.mean(seconds)),
        "wall_s": time.perf_counter() - start,
    }


def cell_seeds(rows: list[dict[str, Any]]) -> dict[tuple[str, str], set[int]]:
    """The seeds finished per (method, problem)."""
    seeds: dict[tuple[str, str], set[int]] = defaultdict(set)
    for row in rows:
        seeds[(row["method"], row["problem"])].add(row["seed"])
    return seeds


def summary(rows: list[dict[str, Any]], methods: list[str], problems: list[str]) -> list[str]:
    """Mean normalized hypervolume of ``methods`` over the seeds all of them finished on each problem,
    then over problems, the same per problem, and the feasible-trial rate on the constrained problems
    within the first N trials, N the shortest run in ``rows``."""
    seeds = cell_seeds(rows)
    shared = {p: set.intersection(*(seeds.get((m, p), set()) for m in methods)) for p in problems}
    common = [p for p in problems if shared[p]]
    by = {key: [r for r in rows if (r["method"], r["problem"]) == key and r["seed"] in shared[key[1]]]
          for key in ((m, p) for m in methods for p in common)}
    horizon = str(min(r["n_trials"] for r in rows))
    header = ["method", *[f"HV@{n}" for n in CHECKPOINTS], f"feasible rate, first {horizon} (constrained)", "ask+tell s"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for method in methods:
        cells = [method]
        for n in CHECKPOINTS:
            per_problem = [np.mean([r["hv"].get(str(n), np.nan) for r in by[(method, p)]]) for p in common]
            mean = float(np.mean(per_problem)) if per_problem else float("nan")
            cells.append("-" if np.isnan(mean) else f"{mean:.4f}")
        constrained = [r["feasible"][horizon] for p in common if p.startswith("c2") for r in by[(method, p)]]
        cells.append(f"{np.mean(constrained):.3f}" if constrained else "-")
        cells.append(f"{np.mean([r['overhead_s'] for p in common for r in by[(method, p)]]):.3f}")
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "| problem | method | seeds | HV@25 | HV@50 | HV@100 |", "|---|---|---|---|---|---|"]
    for p in common:
        for m in methods:
            hv = [np.mean([r["hv"].get(str(n), np.nan) for r in by[(m, p)]]) for n in CHECKPOINTS]
            lines.append(f"| {p} | {m} | {len(by[(m, p)])} | " + " | ".join("-" if np.isnan(v) else f"{v:.4f}" for v in hv) + " |")
    lines.append(f"\nproblems: {', '.join(common)}; seeds per problem: "
                 + "; ".join(f"{p} {sorted(shared[p])}" for p in common))
    return lines


def table(rows: list[dict[str, Any]], source: str = "") -> str:
    """The seeds each cell finished, then the summary of the methods that finished every seed of every
    problem, then for each method that did not, a summary of every method on the seeds it finished.
    A run found twice counts once (the first)."""
    first: dict[tuple[str, str, int], dict[str, Any]] = {}
    repeats = [r for r in rows if first.setdefault((r["method"], r["problem"], r["seed"]), r) is not r]
    rows = list(first.values())
    seeds = cell_seeds(rows)
    methods = sorted({m for m, _ in seeds})
    problems = sorted({p for _, p in seeds})
    full = max(len(s) for s in seeds.values())
    lines = [f"{len(rows)} runs from {source}" if source else f"{len(rows)} runs"]
    if repeats:
        same = sum(r["hv"] == first[(r["method"], r["problem"], r["seed"])]["hv"] for r in repeats)
        lines.append(f"{len(repeats)} runs done twice (by two processes) are counted once; {same} of them "
                     "repeated the first one's hypervolumes exactly")
    lines += ["",
             "| seeds finished | " + " | ".join(problems) + " |", "|---|" + "---|" * len(problems)]
    for m in methods:
        lines.append(f"| {m} | " + " | ".join(str(len(seeds.get((m, p), ()))) for p in problems) + " |")
    complete = [m for m in methods if all(len(seeds.get((m, p), ())) == full for p in problems)]
    if complete:
        lines += ["", f"**Every problem, {full} seeds**: " + ", ".join(complete), "", *summary(rows, complete, problems)]
    for m in (m for m in methods if m not in complete):
        lines += ["", f"**Only the seeds {m} finished** (partial; the other methods on the same seeds)", "",
                  *summary(rows, complete + [m], problems)]
    return "\n".join(lines)


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The runs in a results file."""
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    from benchmarks.multiobjective.methods import METHODS
    from benchmarks.multiobjective.problems import problems

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--methods", default=",".join(m for m in METHODS if m != "ax-default"))
    parser.add_argument("--problems", default=",".join(problems()))
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--first-seed", type=int, default=0, help="run seeds first-seed .. seeds-1 (split a run)")
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--out", default="multiobjective.jsonl")
    parser.add_argument("--table", metavar="JSONL", help="only print the table of a results file")
    args = parser.parse_args(argv)
    if args.table:
        print(table(read_rows(Path(args.table)), args.table))
        return 0
    out = Path(args.out)
    rows = read_rows(out) if out.exists() else []
    other = sorted({r["n_trials"] for r in rows} - {args.trials})
    if other:
        print(f"error: --out {out} holds runs of {other} trials; use --trials {other[0]} to resume it, or another --out",
              file=sys.stderr)
        return 2
    done = {(r["method"], r["problem"], r["seed"]) for r in rows}
    tasks = [(m, p, s) for s in range(args.first_seed, args.seeds) for p in args.problems.split(",") for m in args.methods.split(",")
             if (m, p, s) not in done]
    print(f"{len(tasks)} runs to do ({len(done)} already in {out})", flush=True)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    with ProcessPoolExecutor(max_workers=args.jobs) as pool, out.open("a") as sink:
        futures = {pool.submit(run_one, m, p, s, args.trials): (m, p, s) for m, p, s in tasks}
        for k, future in enumerate(as_completed(futures), start=1):
            row = future.result()
            sink.write(json.dumps(row) + "\n")
            sink.flush()
            print(f"[{k}/{len(tasks)}] {row['method']} {row['problem']} seed {row['seed']}: "
                  f"HV@{args.trials}={row['hv'].get(str(args.trials), float('nan')):.4f} ({row['wall_s']:.0f}s)", flush=True)
    print(table(read_rows(out), str(out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
