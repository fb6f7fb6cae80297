"""Command line: methods x LCBench tasks x seeds (x simulated workers) -> runs, tables, plots.

Usage::

    OMP_NUM_THREADS=1 python -m benchmarks.multifidelity --tasks 8 --seeds 10 \\
        --budgets 10 25 50 100 --methods random bo hyperband asha bohb bohb_gp optuna-hb optuna-sh dehb smac-hb \\
        --workers 1 4 --jobs 2 --out bench_results/mf

Methods: hypersweep algorithms by registered name. Multi-fidelity ones (:data:`MULTI_FIDELITY`)
get ``max_iter = 52``, ``eta = 3``, the resource ``epochs`` and ``resume = true`` (a promoted
configuration continues its parent's training); ``<name>-scratch`` runs them with
``resume = false``. Other algorithms (``random``, ``bo``) train every trial for 52 epochs. Peers:
:data:`~benchmarks.multifidelity.peers.PEERS`, sequential only. ``--workers 1 4``
also runs the hypersweep multi-fidelity methods with 4 simulated workers (labelled ``name x4``).
Each (method, task, seed, workers) run is one job, spread over ``--jobs`` processes; every run is
seeded, so results do not depend on the number of processes. Writes ``runs.jsonl``,
``meta.json``, ``table.md`` and the plots into ``--out`` and prints the tables.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import multiprocessing as mp
import os
import platform
import shlex
import sys
import time
import traceback
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks.multifidelity import peers, report
from benchmarks.multifidelity.simulate import MFRun, simulate
from hypersweep.schedulers.pruners import MedianPruner, Pruner

#: hypersweep algorithms that take a budget (their options: max_iter, eta, resource, resume)
MULTI_FIDELITY = ("hyperband", "successive_halving", "asha", "bohb", "bohb_gp", "freeze_thaw")
SCRATCH = "-scratch"
#: 8 of LCBench's 34 tasks (the first 6 are those of the model-based benchmark, issue 3): the
#: confirmation tasks, never used to choose settings
DEFAULT_TASKS = ("3945", "7593", "34539", "126025", "146212", "167104", "167149", "168330")
#: development tasks (``--tasks dev``): settings of the multi-fidelity algorithms are chosen on these only
DEV_TASKS = ("126026", "167181", "168908", "189862")
DEFAULT_METHODS = (
    "random", "bo", "bo+median", "hyperband", "asha", "bohb", "bohb_gp", "freeze_thaw", "optuna-hb", "optuna-sh", "dehb",
    "smac-hb",
)
RESOURCE = "epochs"
#: pruners a full-fidelity algorithm can run with, as ``algorithm+pruner`` (e.g. ``bo+median``)
PRUNERS: dict[str, type[Pruner]] = {"median": MedianPruner}
#: epochs before a pruner may stop a trial (a third of training; with none, LCBench's crossing
#: learning curves make the median rule stop the eventual best configurations)
PRUNER_WARMUP = 18

Job = tuple[str, str, int, int, float]  # (method, task, seed, workers, budget in epochs)


def algorithm_name(method: str) -> str:
    """The registered hypersweep algorithm of a method (``bo+median`` -> ``bo``, ``asha-scratch`` -> ``asha``)."""
    return method.partition("+")[0].removesuffix(SCRATCH)


def method_pruner(method: str) -> Pruner | None:
    """The pruner an ``algorithm+pruner`` method runs with (None without ``+``): 5 startup trials,
    ``PRUNER_WARMUP`` warm-up epochs."""
    name = method.partition("+")[2]
    if not name:
        return None
    if name not in PRUNERS:
        raise ValueError(f"method {method!r}: unknown pruner {name!r}; choose one of {', '.join(PRUNERS)}")
    return PRUNERS[name](n_startup_trials=5, n_warmup_steps=PRUNER_WARMUP)


def is_multi_fidelity(method: str) -> bool:
    return algorithm_name(method) in MULTI_FIDELITY


def algorithm_options(method: str, full_epoch: int, eta: float = 3) -> dict[str, Any]:
    """The options a hypersweep method is built with (none for full-fidelity algorithms).

    Algorithms with an ``n_iterations`` option get ``None``: they repeat until the budget is spent.
    """
    if not is_multi_fidelity(method):
        return {}
    from hypersweep.algorithms import algorithm_class

    options: dict[str, Any] = {"max_iter": full_epoch, "eta": eta, "resource": {"name": RESOURCE, "type": "int"},
                               "resume": not method.endswith(SCRATCH)}
    if "n_iterations" in algorithm_class(algorithm_name(method)).OPTIONS.names:
        options["n_iterations"] = None
    return options


def run_job(job: Job) -> MFRun:
    """One run: a hypersweep algorithm through :func:`simulate`, or a peer."""
    from benchmarks.problems.lcbench import FULL_EPOCH, LCBenchProblem

    method, task, seed, workers, budget = job
    problem = LCBenchProblem(task)
    started = time.perf_counter()
    if method in peers.PEERS:
        ledger, cpu = peers.run_peer(method, problem, seed, budget, FULL_EPOCH)
        util, elapsed = 1.0, ledger.spent
    else:
        from hypersweep.algorithms import make_algorithm

        algorithm = make_algorithm(algorithm_name(method), problem.space, direction=problem.direction,
                                   seed=seed, options=algorithm_options(method, FULL_EPOCH))
        ledger, util, elapsed, cpu = simulate(algorithm, problem.evaluate_at, budget, workers=workers,
                                              resource=RESOURCE, full_epoch=FULL_EPOCH, curve=problem.curve,
                                              pruner=method_pruner(method))
    return MFRun(method=method, problem=problem.name, seed=seed, workers=workers,
                 full_costs=ledger.full_costs, full_values=ledger.full_values, n_trials=ledger.n_trials,
                 epochs=ledger.spent, utilization=util, elapsed=elapsed, cpu_s=cpu,
                 info={**problem.info(), "full_epoch": FULL_EPOCH, "wall_s": time.perf_counter() - started})


def _safe_job(job: Job) -> tuple[Job, MFRun | None, str | None]:
    try:
        return job, run_job(job), None
    except Exception as exc:  # noqa: BLE001 - one failing run must not end a long benchmark
        last = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return job, None, f"{job[0]} on lcbench/{job[1]} seed {job[2]} workers {job[3]}: {last}"


def select_methods(methods: Sequence[str]) -> tuple[list[str], list[str]]:
    """The methods that can run here, and a line for each one skipped (and why)."""
    from hypersweep.algorithms import available

    registered = set(available())
    ok: list[str] = []
    skipped: list[str] = []
    for m in methods:
        if m in peers.PEERS:
            lacking = peers.missing(m)
            if lacking:
                skipped.append(f"{m}: skipped, {', '.join(lacking)} not installed")
                continue
        elif algorithm_name(m) not in registered:
            skipped.append(f"{m}: skipped, not a registered hypersweep algorithm or peer "
                           f"(have {', '.join(sorted(registered))}; peers {', '.join(peers.PEERS)})")
            continue
        ok.append(m)
    return ok, skipped


def _cost_hint(job: Job) -> float:
    """Rough relative CPU cost, so the expensive runs start first."""
    method = job[0]
    return {"optuna-hb": 6.0, "optuna-sh": 6.0, "bohb_gp": 4.0, "bo": 3.0, "smac-mf": 8.0}.get(method, 1.0) * job[3]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.multifidelity",
                                     description="Multi-fidelity methods on LCBench (epoch = fidelity).")
    parser.add_argument("--tasks", nargs="+", default=["8"],
                        help="LCBench task ids, or one number N: the first N of the default 8 (then the others), "
                        "or 'dev': the development tasks (for tuning; the default 8 are for confirmation)")
    parser.add_argument("--seeds", type=int, default=10, help="number of seeds: S..S+N-1")
    parser.add_argument("--first-seed", type=int, default=0, help="S, the first seed (to run seeds in chunks; "
                        "the report merges several output folders)")
    parser.add_argument("--budgets", type=float, nargs="+", default=list(report.DEFAULT_BUDGETS),
                        help="budgets in full trainings (52 epochs each); runs stop at the largest")
    parser.add_argument("--methods", nargs="+", default=list(DEFAULT_METHODS))
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 4],
                        help="simulated workers for the hypersweep multi-fidelity methods (1 = sequential)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    parser.add_argument("--reference", choices=("worst", "median"), default="worst")
    parser.add_argument("--out", type=Path, default=Path("bench_results/mf"))
    parser.add_argument("--no-plots", action="store_true")
    parser.add_argument("--resume", action="store_true",
                        help="keep the runs already in --out's runs.jsonl and run only the missing jobs")
    return parser


def resolve_tasks(tasks: Sequence[str]) -> list[str]:
    from benchmarks.problems.lcbench import task_ids

    every = task_ids()
    if list(tasks) == ["dev"]:
        return list(DEV_TASKS)
    if len(tasks) == 1 and tasks[0].isdigit() and tasks[0] not in every:
        order = list(DEFAULT_TASKS) + [t for t in every if t not in DEFAULT_TASKS]
        return order[: int(tasks[0])]
    unknown = [t for t in tasks if t not in every]
    if unknown:
        raise ValueError(f"--tasks: unknown LCBench task(s) {', '.join(unknown)}; choose among {', '.join(every)}")
    return list(tasks)


def main(argv: Sequence[str] | None = None) -> int:
    from benchmarks.problems.lcbench import (
        FULL_EPOCH,
        LCBenchProblem,
        unavailable_reason,
    )

    args = build_parser().parse_args(argv)
    reason = unavailable_reason()
    if reason is not None:
        print(f"multifidelity: {reason}", file=sys.stderr)
        return 2
    if args.seeds < 1 or min(args.workers) < 1 or min(args.budgets) <= 0:
        print("multifidelity: --seeds, --workers and --budgets must be positive", file=sys.stderr)
        return 2
    try:
        tasks = resolve_tasks(args.tasks)
    except ValueError as exc:
        print(f"multifidelity: {exc}", file=sys.stderr)
        return 2
    methods, skipped = select_methods(args.methods)
    for line in skipped:
        print(f"multifidelity: {line}", file=sys.stderr)
    if not methods:
        print("multifidelity: no method can run here", file=sys.stderr)
        return 2
    workers = sorted(set(args.workers))
    budget = max(args.budgets) * FULL_EPOCH
    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    jobs_list: list[Job] = [(m, t, s, w, budget) for m in methods for w in workers
                            if w == 1 or is_multi_fidelity(m) for t in tasks for s in seeds]
    for t in tasks:  # references once, before forking
        LCBenchProblem(t).info()
    started = _dt.datetime.now(_dt.UTC)
    args.out.mkdir(parents=True, exist_ok=True)
    meta: dict[str, Any] = {
        "command": "python -m benchmarks.multifidelity " + shlex.join(list(argv or sys.argv[1:])),
        "started": started.isoformat(timespec="seconds"),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count(), "jobs": args.jobs},
        "versions": _versions(), "methods": methods, "tasks": tasks, "seeds": seeds, "workers": workers,
        "budgets": args.budgets, "skipped": skipped,
    }
    (args.out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")  # rewritten when finished
    kept = _kept_runs(args.out / report.RUNS_FILE, jobs_list) if args.resume else {}
    # seed by seed, so an interrupted benchmark leaves complete (task, seed) cells in runs.jsonl
    queue = sorted((j for j in jobs_list if j not in kept), key=lambda j: (j[2], -_cost_hint(j)))
    if kept:
        print(f"multifidelity: --resume keeps {len(kept)} runs, runs {len(queue)}", file=sys.stderr)
    results, errors = _run_all(queue, args.jobs, args.out / report.RUNS_FILE, keep=list(kept.values()))
    results += list(kept.items())
    finished = _dt.datetime.now(_dt.UTC)
    order = {j: i for i, j in enumerate(jobs_list)}
    runs = [run for job, run in sorted(results, key=lambda jr: order[jr[0]])]
    for line in errors:
        print(f"multifidelity: error: {line}", file=sys.stderr)
    report.write_runs(runs, args.out / report.RUNS_FILE)
    meta.update(finished=finished.isoformat(timespec="seconds"), errors=errors,
                wall_seconds=round((finished - started).total_seconds(), 1))
    (args.out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    if not runs:
        print("multifidelity: every run failed; no table", file=sys.stderr)
        return 1
    text = report.full_report(runs, args.budgets, reference=args.reference)
    (args.out / "table.md").write_text(text + "\n")
    print(text)
    if not args.no_plots:
        for path in report.plot(runs, args.out, reference=args.reference, max_budget=max(args.budgets)):
            print(f"wrote {path}")
    return 1 if errors else 0


def _kept_runs(path: Path, jobs_list: Sequence[Job]) -> dict[Job, MFRun]:
    """The runs of ``path`` (when it exists) that answer a job of ``jobs_list``: same method, task,
    seed, workers, and a budget at least the job's."""
    if not path.is_file():
        return {}
    wanted = {(m, t, s, w): (m, t, s, w, b) for m, t, s, w, b in jobs_list}
    kept: dict[Job, MFRun] = {}
    for run in report.load_runs(path):
        job = wanted.get((run.method, run.problem.rpartition("/")[2], run.seed, run.workers))
        if job is not None and run.epochs >= job[4] - 1e-9:
            kept[job] = run
    return kept


def _run_all(jobs_list: list[Job], jobs: int, partial: Path,
             keep: Sequence[MFRun] = ()) -> tuple[list[tuple[Job, MFRun]], list[str]]:
    """Run every job (appending each run to ``partial`` as it finishes, after the ``keep`` runs):
    the runs and the errors."""
    from tqdm import tqdm

    results: list[tuple[Job, MFRun]] = []
    errors: list[str] = []
    bar = tqdm(total=len(jobs_list), file=sys.stderr, desc="runs", unit="run", mininterval=5)
    report.write_runs(keep, partial)
    try:
        if jobs <= 1:
            outcomes: Any = map(_safe_job, jobs_list)
            pool = None
        else:
            ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
            pool = ctx.Pool(jobs)
            outcomes = pool.imap_unordered(_safe_job, jobs_list)
        for job, run, error in outcomes:
            if run is not None:
                results.append((job, run))
                with partial.open("a") as fh:
                    fh.write(json.dumps(run.to_dict()) + "\n")
            if error is not None:
                errors.append(error)
            bar.update()
        if pool is not None:
            pool.close()
            pool.join()
    finally:
        bar.close()
    return results, errors


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for dist in ("hypersweep", "numpy", "optuna", "dehb", "smac", "onnxruntime"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    return out
