"""Evaluate methods on the meta-test tasks of an HPO-B-format meta-dataset (HPO-B protocol).

Usage::

    python -m benchmarks.metadata.evaluate --root hpob-hs --space lcbench \\
        --protocol continuous --trials 50 --out results/ \\
        --method random --method optuna-tpe --method generative=CKPT [--method tpe --method gp]

Methods: any registered hypersweep algorithm name (``random``, ``tpe``, ``gp``, ...),
``generative=CKPT[,option=NUMBER...]`` (the generative optimizer with that checkpoint and
options, e.g. ``generative=m.pt,gp_after=12,prior_weight=0.5``) and ``optuna-tpe``
(Optuna's TPESampler on the unit cube, study rebuilt from the history each step). Every method
runs on every meta-test task x seed ``test0..test4`` (method seed = the seed's index); results
are written per method (``results`` in HPO-B's format ``{space: {dataset: {seed: incumbents}}}``),
with a table of mean normalized regret at trials 10 / 25 / 50, the average rank, CPU seconds,
and a plot of both curves.
"""
from __future__ import annotations

import argparse
import json
import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from hypersweep.algorithms.base import Algorithm
from hypersweep.hpob import HPOBMethod
from hypersweep.hpob import (
    HPOBHandler,
    average_rank,
    mean_regret,
    plot_curves,
)
from hypersweep.records import Params, Trial, TrialState

logger = logging.getLogger(__name__)


class OptunaTPE(Algorithm):
    """Optuna's TPESampler on a continuous space (a benchmark peer; not registered)."""

    name: ClassVar[str] = "optuna-tpe"

    def ask(self, n: int = 1, *, pending: Sequence[Trial] = ()) -> list[Params]:
        import optuna

        optuna.logging.set_verbosity(optuna.logging.WARNING)
        names = self.space.names
        dists = {k: optuna.distributions.FloatDistribution(0.0, 1.0) for k in names}
        seed = int(self.rng(len(self.finished)).integers(2**31))
        study = optuna.create_study(direction=self.direction.value, sampler=optuna.samplers.TPESampler(seed=seed))
        for t in self.finished:
            if t.state is TrialState.COMPLETED and t.value is not None:
                study.add_trial(optuna.trial.create_trial(params=dict(t.params), distributions=dists, value=t.value))
        out = []
        for _ in range(n):
            trial = study.ask(dists)
            out.append({k: float(trial.params[k]) for k in names})
        return out


def make_method(spec: str, seed: int) -> Any:
    """An object with ``observe_and_suggest`` for a method spec (see the module docstring)."""
    if spec == "optuna-tpe":
        return HPOBMethod(OptunaTPE, seed=seed)
    if spec.startswith("generative="):
        checkpoint, *extra = spec.split("=", 1)[1].split(",")
        options = {k: (float(v) if "." in v else int(v)) for k, v in (e.split("=") for e in extra)}
        return HPOBMethod("generative", seed=seed, checkpoint=checkpoint, **options)
    return HPOBMethod(spec, seed=seed)


def run(handler: HPOBHandler, spec: str, space: str, *, protocol: str, trials: int) -> tuple[dict[str, Any], float]:
    """One method on every test task and seed of ``space``; results and CPU seconds."""
    results: dict[str, Any] = {space: {}}
    start = time.process_time()
    for dataset in handler.get_datasets(space):
        results[space][dataset] = {}
        for k, seed in enumerate(handler.get_seeds()):
            method = make_method(spec, k)
            evaluate = handler.evaluate_continuous if protocol == "continuous" else handler.evaluate
            results[space][dataset][seed] = [float(v) for v in evaluate(method, space, dataset, seed, n_trials=trials)]
    return results, time.process_time() - start


def table(by_method: dict[str, Any], cpu: dict[str, float], marks: Sequence[int] = (10, 25, 50)) -> str:
    """Markdown table: mean normalized regret at ``marks`` trials, average rank there, CPU s."""
    regrets, ranks = mean_regret(by_method), average_rank(by_method)
    head = "| method | " + " | ".join(f"regret@{m}" for m in marks) + " | " + " | ".join(f"rank@{m}" for m in marks)
    lines = [head + " | CPU s |", "|" + "---|" * (2 * len(marks) + 2)]
    for name in by_method:
        r = [f"{regrets[name][min(m, len(regrets[name]) - 1)]:.4f}" for m in marks]
        a = [f"{ranks[name][min(m, len(ranks[name]) - 1)]:.2f}" for m in marks]
        lines.append(f"| {name} | " + " | ".join(r + a) + f" | {cpu.get(name, float('nan')):.0f} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line (see the module docstring)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.metadata.evaluate")
    parser.add_argument("--root", required=True, help="folder of the HPO-B-format meta-dataset")
    parser.add_argument("--space", required=True, help="search space id, e.g. lcbench")
    parser.add_argument("--protocol", choices=["continuous", "discrete"], default="continuous")
    parser.add_argument("--method", action="append", required=True, help="repeat; see the module docstring")
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--out", required=True, help="folder for result files, table and plot")
    parser.add_argument("--reuse", action="store_true", help="load a method's result file from --out if present")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    surrogates = None
    if args.protocol == "continuous" and args.space == "lcbench":
        from benchmarks.metadata.lcbench import lcbench_surrogates

        surrogates = lcbench_surrogates()
    handler = HPOBHandler(root_dir=args.root, mode="v3-test", surrogates_dir=args.root, surrogates=surrogates)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    by_method: dict[str, Any] = {}
    cpu: dict[str, float] = {}
    for spec in args.method:
        label = spec
        if spec.startswith("generative="):
            label = "-".join(["generative", *(e.replace("=", "") for e in spec.split(",")[1:])])
        path = out / f"{args.space}-{args.protocol}-{label}.json"
        if args.reuse and path.is_file():
            saved = json.loads(path.read_text())
            by_method[label], cpu[label] = saved["results"], saved["cpu_seconds"]
            continue
        by_method[label], cpu[label] = run(handler, spec, args.space, protocol=args.protocol, trials=args.trials)
        path.write_text(json.dumps({"results": by_method[label], "cpu_seconds": cpu[label], "method": spec}))
        logger.info("%s: %.0f CPU s, final mean regret %.4f", label, cpu[label],
                    float(np.mean(mean_regret({label: by_method[label]})[label][-1])))
    text = table(by_method, cpu)
    (out / f"{args.space}-{args.protocol}.md").write_text(text + "\n")
    plot_curves(by_method, out / f"{args.space}-{args.protocol}.png", title=f"{args.space} ({args.protocol})")
    logger.info("%s", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
