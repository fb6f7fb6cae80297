"""Transfer from the user's own sweeps: meta-train ``generative`` on past sweeps, tune unseen tasks.

Usage::

    python -m benchmarks.generative_transfer --root /tmp/hpob-hs --work /tmp/transfer \\
        [--past 20] [--past-algorithm tpe] [--past-trials 60] [--steps 1000] [--trials 25]

1. The first ``--past`` LCBench meta-train tasks of the meta-dataset in ``--root`` (built by
   ``python -m benchmarks.metadata``) run as ordinary sweeps (``--past-algorithm``,
   ``--past-trials`` trials each, maximizing the surrogate's final-epoch ``val_accuracy``) into the
   SQLite store ``{work}/past.db``;
2. ``hypersweep meta-train --from-sweeps ... --storage {work}/past.db -o {work}/from-sweeps.pt``;
3. on the 8 LCBench meta-test tasks x HPO-B seeds ``test0..test4`` (HPO-B's continuous protocol,
   the tables' protocol): ``generative`` with that checkpoint, ``bo``, ``bo`` warm-started with
   the best configuration of each past sweep as its first trials, ``tpe`` and ``random``.

Prints mean normalized regret at 10 and 25 trials and, per baseline, the paired difference
(baseline minus generative; positive = generative better) with its 90% t-interval over the runs.
Result files (HPO-B's format) go to ``{work}/results``.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

import hypersweep as hs
from benchmarks.hpob_paired import paired
from hypersweep.hpob import HPOBHandler, HPOBMethod
from benchmarks.metadata.lcbench import LCBenchModel, lcbench_space, lcbench_surrogates
from hypersweep.storage import open_storage

SPACE_ID = "lcbench"


class WarmStarted:
    """``bo`` whose first suggestions are given points (the past sweeps' bests), in order."""

    def __init__(self, first: np.ndarray, seed: int) -> None:
        self.first = first
        self.inner = HPOBMethod("bo", seed=seed)
        self.n_start: int | None = None

    def observe_and_suggest(self, X_obs: Any, y_obs: Any, X_pen: Any = None) -> np.ndarray:
        n = len(X_obs)
        self.n_start = n if self.n_start is None else self.n_start
        done = n - self.n_start
        if done < len(self.first):
            return self.first[done][None, :]
        return self.inner.observe_and_suggest(X_obs, y_obs)  # type: ignore[return-value]


def run_past_sweeps(tasks: list[str], storage: str, algorithm: str, trials: int) -> list[str]:
    """One finished sweep per task (kept when already complete); returns their names."""
    space = lcbench_space()
    names = []
    for k, task in enumerate(tasks):
        name = f"lcbench-{task}"
        names.append(name)
        model = LCBenchModel(task)
        sweep = hs.Sweep(space, algorithm=algorithm, metric=hs.Metric("val_accuracy", "maximize"),
                         storage=storage, name=name, seed=k)
        while len(sweep.completed_trials()) < trials:
            trial = sweep.ask()
            assert trial is not None
            sweep.tell(trial, float(model.raw([dict(trial.params)])[0]))
        print(f"  past sweep {name}: best {sweep.best.value:.2f}", file=sys.stderr, flush=True)  # type: ignore[union-attr]
    return names


def past_bests(storage: str, names: list[str]) -> np.ndarray:
    """Each past sweep's best configuration on the unit cube, in sweep order."""
    space = lcbench_space()
    with open_storage(storage) as store:
        bests = [hs.Sweep.load(name, storage=store).best for name in names]
    return space.to_unit_many([b.params for b in bests if b is not None])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", required=True, help="meta-dataset folder (python -m benchmarks.metadata)")
    parser.add_argument("--work", required=True, help="folder for the store, checkpoint and results")
    parser.add_argument("--past", type=int, default=20)
    parser.add_argument("--past-algorithm", default="tpe")
    parser.add_argument("--past-trials", type=int, default=60)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--time-limit", type=float, default=600.0)
    parser.add_argument("--trials", type=int, default=25)
    parser.add_argument("--method", action="append", help="subset of generative, bo, bo-warm, tpe, random")
    args = parser.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    storage = str(work / "past.db")
    splits = json.loads((Path(args.root) / "splits.json").read_text())[SPACE_ID]
    start = time.process_time()
    names = run_past_sweeps(splits["train"][: args.past], storage, args.past_algorithm, args.past_trials)
    print(f"past sweeps: {len(names)} x {args.past_trials} trials ({args.past_algorithm}), "
          f"{time.process_time() - start:.0f} CPU s", flush=True)
    checkpoint = work / "from-sweeps.pt"
    if not checkpoint.is_file():
        subprocess.run([sys.executable, "-m", "hypersweep.cli", "meta-train", "--from-sweeps", *names,
                        "--storage", storage, "-o", str(checkpoint), "--steps", str(args.steps),
                        "--time-limit", str(args.time_limit)], check=True)
    first = past_bests(storage, names)
    handler = HPOBHandler(root_dir=args.root, mode="v3-test", surrogates_dir=args.root, surrogates=lcbench_surrogates())
    makers = {
        "generative": lambda k: HPOBMethod("generative", seed=k, checkpoint=str(checkpoint)),
        "bo": lambda k: HPOBMethod("bo", seed=k),
        "bo-warm": lambda k: WarmStarted(first, k),
        "tpe": lambda k: HPOBMethod("tpe", seed=k),
        "random": lambda k: HPOBMethod("random", seed=k),
    }
    regrets: dict[str, np.ndarray] = {}
    (work / "results").mkdir(exist_ok=True)
    for label in args.method or list(makers):
        t0 = time.process_time()
        results: dict[str, Any] = {SPACE_ID: {}}
        for dataset in handler.get_datasets(SPACE_ID):
            results[SPACE_ID][dataset] = {
                seed: handler.evaluate_continuous(makers[label](k), SPACE_ID, dataset, seed, n_trials=args.trials)
                for k, seed in enumerate(handler.get_seeds())
            }
        (work / "results" / f"{label}.json").write_text(json.dumps(results))
        regrets[label] = 1.0 - np.array([results[SPACE_ID][d][s] for d in sorted(results[SPACE_ID])
                                         for s in sorted(results[SPACE_ID][d])])
        print(f"  {label}: {time.process_time() - t0:.0f} CPU s", file=sys.stderr, flush=True)
    marks = [m for m in (10, 25) if m <= args.trials]
    print("| method | " + " | ".join(f"regret@{m}" for m in marks) + " | "
          + " | ".join(f"minus generative @{m} (90% CI)" for m in marks) + " |")
    print("|---|" + "---:|" * len(marks) + "---|" * len(marks))
    for label, r in regrets.items():
        cells = [f"{r[:, m].mean():.4f}" for m in marks]
        if "generative" in regrets and label != "generative":
            for m in marks:
                mean, low, high = paired(r[:, m] - regrets["generative"][:, m])
                cells.append(f"{mean:+.4f} [{low:+.4f}, {high:+.4f}]")
        else:
            cells += ["-"] * len(marks)
        print(f"| {label} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
