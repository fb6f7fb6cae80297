"""Executor efficiency: how much of a cluster's time a sweep of sleeping trials keeps busy.

Usage::

    python -m benchmarks.executors --out bench_results/executors

For each executor (local processes, Ray, Dask) and each algorithm (``random``, ``bo``), runs
``--trials`` trials of an objective that sleeps ``--duration`` seconds at 1, 2 and 4 trials at
once, with a SQLite store, and reports

- efficiency = (trials x duration) / (workers x wall time from the first dispatch to the last
  result), the issue's target being >= 0.9 at 4 workers;
- the mean per-trial overhead: the time from a trial's dispatch to its result, less ``duration``;
- the executor's own start (its worker processes, Ray's mailbox actor, a Dask client), before
  the first dispatch;
- start-up, separately: starting the engine (Ray and Dask with ``--cpus`` logical CPUs, a
  LocalCluster of that many one-thread worker processes) and one warm-up round of empty trials.

Ray and Dask run on this machine; the table is in ``--out`` (``table.md``, ``meta.json``).
"""
from __future__ import annotations

import argparse
import json
import platform
import shlex
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import hypersweep as hs
from hypersweep.runner.executor import Event, Executor, Objective, Reported, TrialTask
from hypersweep.runner.process_executor import ProcessExecutor

EXECUTORS = ("process", "ray", "dask")


def sleeper(params: dict[str, Any], *, duration: float) -> float:
    """The benchmark's objective: sleep ``duration`` seconds, return ``x``."""
    time.sleep(duration)
    return params["x"]


@dataclass
class TimedExecutor(Executor):
    """Wraps an executor; notes when each trial was dispatched and when its result came back."""

    inner: Executor
    start_seconds: float = 0.0
    submitted: dict[tuple[int, int], float] = field(default_factory=dict)
    ended: dict[tuple[int, int], float] = field(default_factory=dict)

    def start(self, objective: Objective, *, slots: int) -> None:
        began = time.perf_counter()
        self.inner.start(objective, slots=slots)
        self.start_seconds = time.perf_counter() - began

    @property
    def free_slots(self) -> int:
        return self.inner.free_slots

    def submit(self, task: TrialTask) -> None:
        self.submitted[(task.trial_id, task.attempt)] = time.perf_counter()
        self.inner.submit(task)

    def poll(self, timeout: float) -> list[Event]:
        events = self.inner.poll(timeout)
        now = time.perf_counter()
        for event in events:
            if not isinstance(event, Reported):
                self.ended.setdefault((event.trial_id, event.attempt), now)
        return events

    def answer(self, report: Reported, stop: bool) -> None:
        self.inner.answer(report, stop)

    def cancel(self, trial_id: int) -> None:
        self.inner.cancel(trial_id)

    def shutdown(self, *, kill: bool) -> None:
        self.inner.shutdown(kill=kill)

    def measures(self, duration: float, workers: int) -> tuple[float, float, float]:
        """``(wall seconds, efficiency, mean overhead ms per trial)`` of the run."""
        wall = max(self.ended.values()) - min(self.submitted.values())
        overheads = [self.ended[key] - self.submitted[key] - duration for key in self.ended]
        return wall, len(self.ended) * duration / (workers * wall), 1e3 * sum(overheads) / len(overheads)


@dataclass
class Engine:
    """A started engine: ``make()`` builds an executor on it, ``stop()`` shuts it down."""

    make: Callable[[], Executor]
    stop: Callable[[], None]


def start_engine(name: str, cpus: int) -> Engine:
    """Start ``name`` on this machine with ``cpus`` logical CPUs (processes need nothing)."""
    if name == "ray":
        import ray

        ray.init(num_cpus=cpus, include_dashboard=False, _node_ip_address="127.0.0.1", log_to_driver=False)
        return Engine(lambda: hs.RayExecutor(), ray.shutdown)
    if name == "dask":
        from distributed import LocalCluster

        cluster = LocalCluster(
            n_workers=cpus, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
        )
        return Engine(lambda: hs.DaskExecutor(cluster.scheduler_address), cluster.close)
    return Engine(ProcessExecutor, lambda: None)


def run_one(engine: Engine, algorithm: str, workers: int, trials: int, duration: float, folder: Path) -> TimedExecutor:
    """One sweep of ``trials`` sleeping trials, ``workers`` at a time; its timed executor."""
    space = hs.Space({"x": hs.uniform(0.0, 1.0), "y": hs.uniform(0.0, 1.0)})
    sweep = hs.Sweep(space, algorithm=algorithm, metric="loss", storage=f"sqlite:///{folder / 'bench.db'}", name="bench")
    timed = TimedExecutor(engine.make())
    sweep.run(partial(sleeper, duration=duration), n_trials=trials, concurrency=workers, executor=timed, progress=False)
    return timed


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.executors",
        description="Efficiency and per-trial overhead of the process, Ray and Dask executors on sleeping trials.",
    )
    parser.add_argument("--executors", nargs="+", choices=EXECUTORS, default=list(EXECUTORS))
    parser.add_argument("--algorithms", nargs="+", default=["random", "bo"])
    parser.add_argument("--workers", nargs="+", type=int, default=[1, 2, 4])
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--duration", type=float, default=1.0, help="seconds each trial sleeps")
    parser.add_argument("--cpus", type=int, default=4, help="logical CPUs Ray and Dask are started with")
    parser.add_argument("--out", type=Path, default=Path("bench_results/executors"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    rows = [
        "| executor | algorithm | workers | wall s | efficiency | overhead ms/trial | executor start s |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    startup = ["| executor | engine start s | warm-up s |", "|---|---:|---:|"]
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.executors:
            began = time.perf_counter()
            engine = start_engine(name, args.cpus)
            started = time.perf_counter()
            try:
                warmup = Path(tmp) / f"{name}-warmup"
                warmup.mkdir()
                run_one(engine, "random", args.cpus, args.cpus, 0.0, warmup)
                warm = time.perf_counter()
                startup.append(f"| {name} | {started - began:.2f} | {warm - started:.2f} |")
                for algorithm in args.algorithms:
                    for workers in args.workers:
                        folder = Path(tmp) / f"{name}-{algorithm}-{workers}"
                        folder.mkdir(parents=True)
                        timed = run_one(engine, algorithm, workers, args.trials, args.duration, folder)
                        wall, efficiency, overhead = timed.measures(args.duration, workers)
                        rows.append(
                            f"| {name} | {algorithm} | {workers} | {wall:.2f} | {efficiency:.3f} | {overhead:.1f} "
                            f"| {timed.start_seconds:.2f} |"
                        )
                        print(rows[-1], file=sys.stderr, flush=True)
            finally:
                engine.stop()
    table = "\n".join(rows) + "\n\n" + "\n".join(startup)
    args.out.mkdir(parents=True, exist_ok=True)
    meta = {
        "command": "python -m benchmarks.executors " + shlex.join(list(argv if argv is not None else sys.argv[1:])),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"platform": platform.platform(), "processor": platform.processor() or platform.machine()},
        "versions": {dist: _version(dist) for dist in ("hypersweep", "ray", "dask", "distributed")},
    }
    (args.out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    (args.out / "table.md").write_text(table + "\n")
    print(table)
    return 0


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
