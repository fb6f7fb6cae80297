"""Run the multi-objective benchmark and print its table.

    python -m benchmarks.multiobjective.run --seeds 10 --trials 100 --jobs 2 --out mo.jsonl
    python -m benchmarks.multiobjective.run --table mo.jsonl      # the table of finished runs

Each finished run (method, problem, seed) is appended to ``--out`` as one JSON line with its
normalized hypervolume after 25, 50 and 100 trials, its feasible-trial rate and its mean
ask+tell seconds, so an interrupted benchmark keeps what it measured and ``--resume`` skips it.
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


def table(rows: list[dict[str, Any]]) -> str:
    """Mean normalized hypervolume per method (over the seeds every method finished on a problem, then
    over problems), the same per problem,
    and the feasible-trial rate on the constrained problems within the first N trials, N the
    shortest run in ``rows``."""
    by: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by[(row["method"], row["problem"])].append(row)
    methods = sorted({m for m, _ in by})
    problems = sorted({p for _, p in by})
    seeds = {key: {r["seed"] for r in runs} for key, runs in by.items()}
    common = [p for p in problems if all((m, p) in by for m in methods)
              and len(set.intersection(*(seeds[(m, p)] for m in methods))) > 0]
    lines = []
    horizon = str(min(r["n_trials"] for r in rows))
    header = ["method", *[f"HV@{n}" for n in CHECKPOINTS], f"feasible rate, first {horizon} (constrained)", "ask+tell s"]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    for method in methods:
        cells = [method]
        for n in CHECKPOINTS:
            per_problem = []
            for p in common:
                shared = set.intersection(*(seeds[(m, p)] for m in methods))
                values = [r["hv"].get(str(n)) for r in by[(method, p)] if r["seed"] in shared]
                per_problem.append(np.mean([v for v in values if v is not None]))
            cells.append(f"{np.mean(per_problem):.4f}" if per_problem and not np.isnan(np.mean(per_problem)) else "-")
        constrained = [r["feasible"][horizon] for p in common for r in by[(method, p)]
                       if p.startswith("c2") and r["seed"] in set.intersection(*(seeds[(m, p)] for m in methods))]
        cells.append(f"{np.mean(constrained):.3f}" if constrained else "-")
        cells.append(f"{np.mean([r['overhead_s'] for p in common for r in by[(method, p)]]):.3f}")
        lines.append("| " + " | ".join(cells) + " |")
    detail = ["", "| problem | method | seeds | HV@25 | HV@50 | HV@100 |", "|---|---|---|---|---|---|"]
    for p in common:
        shared = set.intersection(*(seeds[(m, p)] for m in methods))
        for m in methods:
            runs = [r for r in by[(m, p)] if r["seed"] in shared]
            hv = [np.mean([r["hv"].get(str(n), np.nan) for r in runs]) for n in CHECKPOINTS]
            detail.append(f"| {p} | {m} | {len(runs)} | " + " | ".join("-" if np.isnan(v) else f"{v:.4f}" for v in hv) + " |")
    return "\n".join(lines + detail) + f"\n\nproblems: {', '.join(common)}"


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
        print(table([json.loads(line) for line in Path(args.table).read_text().splitlines() if line.strip()]))
        return 0
    out = Path(args.out)
    done = set()
    if out.exists():
        done = {(r["method"], r["problem"], r["seed"]) for r in map(json.loads, out.read_text().splitlines()) if r}
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
    print(table([json.loads(line) for line in out.read_text().splitlines() if line.strip()]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
