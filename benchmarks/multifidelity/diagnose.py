"""Where ``freeze_thaw`` spends its budget and what its parts get right, against ``bo``, on LCBench.

Usage::

    python -m benchmarks.multifidelity.diagnose --tasks dev --seeds 2 --budget 100 --jobs 2

For each (task, seed) it runs ``freeze_thaw`` and ``bo`` (as :mod:`benchmarks.multifidelity` does:
one worker, every trial reporting its curve) and asks the surrogate for the epoch-52 value of every
configuration ``freeze_thaw`` started, so it can tell apart:

- **budget**: the share of epochs trained at each level of the ladder, full trainings, configurations;
- **extrapolation**: per level, over the configurations paused there at the end, the Spearman
  correlation of the level model's predicted final values with the true ones (and of the raw values
  at that level), the spread of the z-scores ``(true - mean) / std`` (1 when calibrated), and how many
  frozen ones would have beaten the run's incumbent;
- **proposals**: the median normalized regret (clipped at 0) of the true final values of the model-proposed
  configurations (``freeze_thaw``: every configuration after the bootstrap; ``bo``: after its
  initial design), first and second half of the run;
- **regret**: unclipped, (incumbent - reference optimum) / (worst reference - optimum), at 10 / 25 /
  50 / 100 / 200 full trainings.

Prints one JSON line per run and a summary per method.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.stats

from benchmarks.multifidelity.cli import RESOURCE, algorithm_options, resolve_tasks
from benchmarks.multifidelity.simulate import simulate
from benchmarks.problems.base import normalized_regret
from hypersweep.algorithms.multifidelity import curve_model

CHECKS = (10, 25, 50, 100, 200)
METHODS = ("freeze_thaw", "bo")


def diagnose(method: str, task: str, seed: int, budget: float) -> dict[str, Any]:
    """One run of ``method`` on ``lcbench/task`` for ``budget`` full trainings, and what it did."""
    from benchmarks.problems.lcbench import FULL_EPOCH, LCBenchProblem
    from hypersweep.algorithms import make_algorithm

    problem = LCBenchProblem(task)
    info = problem.info()
    optimum, worst = info["optimum"], info["reference_worst"]
    algo = make_algorithm(method, problem.space, direction=problem.direction, seed=seed,
                          options=algorithm_options(method, FULL_EPOCH))
    ledger, _, _, cpu = simulate(algo, problem.evaluate_at, budget * FULL_EPOCH, workers=1, resource=RESOURCE,
                                 full_epoch=FULL_EPOCH, curve=problem.curve)

    def regret(value: float) -> float:
        return float((value - optimum) / (worst - optimum))

    def clipped(value: float) -> float:
        return float(normalized_regret(value, optimum=optimum, reference=worst))

    def unclipped(b: float) -> float:
        values = [v for c, v in zip(ledger.full_costs, ledger.full_values) if c <= b * FULL_EPOCH + 1e-9]
        return regret(min(values)) if values else 1.0

    out: dict[str, Any] = {"method": method, "task": task, "seed": seed, "trials": ledger.n_trials,
                           "full_trainings": len(ledger.full_values), "cpu_s": round(cpu, 2),
                           "regret": [round(unclipped(b), 4) for b in CHECKS if b <= budget]}
    if method == "bo":
        proposed = [clipped(t.value) for t in algo.finished if t.value is not None][algo.n_initial_trials:]
        out["proposal_median_regret"] = _halves(proposed)
        return out
    spent: dict[int, float] = {}
    for trial in algo.finished:
        level = int(trial.meta["level"])
        spent[level] = spent.get(level, 0.0) + algo._cost(trial)
    total = sum(spent.values())
    curves = algo.curves()
    true = {i: problem.evaluate_at(c.params, FULL_EPOCH) for i, c in curves.items()}
    incumbent, models = algo._level_models(curves)
    paused = [c for c in curves.values() if algo.top not in c.values and not c.dead and c.level >= 0]
    out.update(share={k: round(v / total, 3) for k, v in sorted(spent.items())}, configurations=len(curves),
               proposal_median_regret=_halves([clipped(true[i]) for i in sorted(curves) if i >= algo.n_bootstrap]),
               extrapolation={})
    for level, model in models.items():
        at = [c for c in paused if c.level == level]
        if len(at) < 5 or incumbent is None:
            continue
        pred = np.array([model.predict(c.values) for c in at])
        truth = np.array([true[c.index] for c in at])
        z = (truth - pred[:, 0]) / pred[:, 1]
        chance = np.array([curve_model.probability_below(m, s, incumbent) for m, s in pred])
        frozen = chance < algo.stop_probability
        out["extrapolation"][level] = {
            "paused": len(at), "spearman": round(float(scipy.stats.spearmanr(pred[:, 0], truth)[0]), 3),
            "spearman_raw": round(float(scipy.stats.spearmanr([c.values[level] for c in at], truth)[0]), 3),
            "z_sd": round(float(z.std()), 2), "z_mean": round(float(z.mean()), 2),
            "frozen": int(frozen.sum()), "frozen_but_better": int((frozen & (truth < incumbent)).sum())}
    return out


def _halves(values: Sequence[float]) -> list[float] | None:
    half = len(values) // 2
    if not half:
        return None
    return [round(float(np.median(values[:half])), 4), round(float(np.median(values[half:])), 4)]


def _job(args: tuple[str, str, int, float]) -> dict[str, Any]:
    return diagnose(*args)


def summary(rows: Sequence[dict[str, Any]]) -> str:
    """Mean regret, full trainings, level shares and proposal quality per method."""
    lines = []
    for method in sorted({r["method"] for r in rows}):
        mine = [r for r in rows if r["method"] == method]
        regret = np.mean([r["regret"] for r in mine], axis=0)
        proposals = [r["proposal_median_regret"] for r in mine if r.get("proposal_median_regret")]
        line = (f"{method}: {len(mine)} runs; unclipped regret {np.round(regret, 4).tolist()}; "
                f"full trainings {np.mean([r['full_trainings'] for r in mine]):.0f}; trials "
                f"{np.mean([r['trials'] for r in mine]):.0f}; optimizer CPU s {np.mean([r['cpu_s'] for r in mine]):.1f}")
        if proposals:
            line += f"; proposals' median regret (1st, 2nd half) {np.round(np.mean(proposals, axis=0), 3).tolist()}"
        if method != "bo":
            levels = sorted({int(k) for r in mine for k in r["share"]})
            share = [np.mean([r["share"].get(k, 0.0) for r in mine]) for k in levels]
            line += f"; budget share per level {np.round(share, 3).tolist()}"
        lines.append(line)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.multifidelity.diagnose", description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", nargs="+", default=["dev"], help="as for python -m benchmarks.multifidelity")
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--budget", type=float, default=100, help="full trainings (52 epochs each)")
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=METHODS)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args(argv)
    jobs = [(m, t, s, args.budget) for s in range(args.seeds) for t in resolve_tasks(args.tasks) for m in args.methods]
    rows = []
    with mp.get_context("fork").Pool(args.jobs) as pool:
        for row in pool.imap_unordered(_job, jobs):
            rows.append(row)
            print(json.dumps(row), flush=True)
    print(summary(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
