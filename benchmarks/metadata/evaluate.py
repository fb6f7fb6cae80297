"""Evaluate methods on the meta-test tasks of an HPO-B-format meta-dataset (HPO-B protocol).

Usage::

    python -m benchmarks.metadata.evaluate --root hpob-hs [--surrogates-dir DIR] [--space lcbench ...] \\
        --protocol continuous --trials 50 --out results/ \\
        --method random --method optuna-tpe --method generative=CKPT [--method tpe --method gp]

Methods: any registered hypersweep algorithm name (``random``, ``tpe``, ``gp``, ...),
``generative=CKPT[,option=NUMBER...]`` (the generative optimizer with that checkpoint and
options, e.g. ``generative=m.pt,gp_after=12,prior_weight=0.5``) and ``optuna-tpe``
(Optuna's TPESampler on the unit cube, study rebuilt from the history each step). Every method
runs on every meta-test task of each ``--space`` (default: every space of the meta-test file) x
seed ``test0..test4`` (method seed = the seed's index). Continuous-protocol surrogates: the
LCBench ONNX model for ``lcbench``, HPO-B's XGBoost files in ``--surrogates-dir`` (default
``--root``) for any other space. Each method's results go to one file covering all spaces in
HPO-B's own format, ``{space: {dataset: {seed: incumbents}}}`` (``{label}.json``, ``{label}-C.json``
for the continuous protocol, as HPO-B names its files), CPU seconds to ``cpu-seconds[-C].json``;
a table per space gives mean normalized regret and average rank at 10 / 25 / 50 trials (only the
counts the run reached), and a plot shows both curves.
"""
from __future__ import annotations

import argparse
import json
import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from hypersweep.algorithms.base import Algorithm
from hypersweep.hpob import (
    HPOBHandler,
    HPOBMethod,
    average_rank,
    load_results,
    mean_regret,
    plot_curves,
    save_results,
    xgboost_surrogates,
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


def run(handler: HPOBHandler, spec: str, spaces: Sequence[str], *, protocol: str, trials: int) -> tuple[dict[str, Any], float]:
    """One method on every test task and seed of ``spaces``; results and CPU seconds."""
    results: dict[str, Any] = {}
    start = time.process_time()
    evaluate = handler.evaluate_continuous if protocol == "continuous" else handler.evaluate
    for space in spaces:
        results[space] = {}
        for dataset in handler.get_datasets(space):
            results[space][dataset] = {}
            for k, seed in enumerate(handler.get_seeds()):
                incumbents = evaluate(make_method(spec, k), space, dataset, seed, n_trials=trials)
                results[space][dataset][seed] = [float(v) for v in incumbents]
    return results, time.process_time() - start


def marks_within(trials: int, marks: Sequence[int] = (10, 25, 50)) -> list[int]:
    """The reporting marks a run of ``trials`` trials reached."""
    return [m for m in marks if m <= trials]


def table(by_method: dict[str, Any], cpu: dict[str, float], marks: Sequence[int]) -> str:
    """Markdown table: mean normalized regret at ``marks`` trials, average rank there, CPU s."""
    regrets, ranks = mean_regret(by_method), average_rank(by_method)
    head = "| method | " + " | ".join(f"regret@{m}" for m in marks) + " | " + " | ".join(f"rank@{m}" for m in marks)
    lines = [head + " | CPU s |", "|" + "---|" * (2 * len(marks) + 2)]
    for name in by_method:
        r = [f"{regrets[name][m]:.4f}" for m in marks]
        a = [f"{ranks[name][m]:.2f}" for m in marks]
        lines.append(f"| {name} | " + " | ".join(r + a) + f" | {cpu.get(name, float('nan')):.0f} |")
    return "\n".join(lines)


def surrogate_factory(surrogates_dir: str) -> Any:
    """LCBench's ONNX model for ``lcbench``, HPO-B's XGBoost files for any other space."""
    xgboost = xgboost_surrogates(surrogates_dir)

    def factory(space: str, dataset: str) -> Any:
        if space == "lcbench":
            from benchmarks.metadata.lcbench import LCBenchModel

            return LCBenchModel(dataset)
        return xgboost(space, dataset)

    return factory


def main(argv: Sequence[str] | None = None) -> int:
    """Command line (see the module docstring)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.metadata.evaluate")
    parser.add_argument("--root", required=True, help="folder of the HPO-B-format meta-dataset")
    parser.add_argument("--surrogates-dir", help="folder of summary-stats.json and XGBoost surrogates (default: --root)")
    parser.add_argument("--space", action="append", help="search space id, e.g. lcbench; repeat (default: all)")
    parser.add_argument("--protocol", choices=["continuous", "discrete"], default="continuous")
    parser.add_argument("--method", action="append", required=True, help="repeat; see the module docstring")
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--out", required=True, help="folder for result files, table and plot")
    parser.add_argument("--reuse", action="store_true", help="load a method's result file from --out if present")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    surrogates_dir = args.surrogates_dir or args.root
    handler = HPOBHandler(root_dir=args.root, mode="v3-test", surrogates_dir=surrogates_dir,
                          surrogates=surrogate_factory(surrogates_dir))
    spaces = args.space or handler.get_search_spaces()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    suffix = "-C" if args.protocol == "continuous" else ""
    cpu_path = out / f"cpu-seconds{suffix}.json"
    cpu: dict[str, float] = json.loads(cpu_path.read_text()) if cpu_path.is_file() else {}
    by_method: dict[str, Any] = {}
    for spec in args.method:
        label = spec
        if spec.startswith("generative="):
            label = "-".join(["generative", *(e.replace("=", "") for e in spec.split(",")[1:])])
        path = out / f"{label}{suffix}.json"
        if args.reuse and path.is_file():
            by_method[label] = {s: r for s, r in load_results(path).items() if s in spaces}
            continue
        by_method[label], cpu[label] = run(handler, spec, spaces, protocol=args.protocol, trials=args.trials)
        save_results(by_method[label], path)
        cpu_path.write_text(json.dumps(cpu))
        logger.info("%s: %.0f CPU s, final mean regret %.4f", label, cpu[label],
                    float(mean_regret({label: by_method[label]})[label][-1]))
    marks = marks_within(args.trials)
    for space in spaces:
        one = {name: {space: res[space]} for name, res in by_method.items()}
        text = table(one, cpu if len(spaces) == 1 else {}, marks)
        (out / f"{space}{suffix}.md").write_text(text + "\n")
        plot_curves(one, out / f"{space}{suffix}.png", title=f"{space} ({args.protocol})")
        logger.info("%s (%s)\n%s", space, args.protocol, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
