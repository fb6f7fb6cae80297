"""Run the generative optimizer on HPO-B's continuous protocol and save HPO-B's result file.

Usage (HPO-B's layout: ``hpob-data/`` from its README, ``saved-surrogates/`` beside it)::

    python examples/hpob/run_generative.py --checkpoint CKPT [--root hpob-data/] \\
        [--surrogates-dir saved-surrogates/] [--space ID ...] [--trials 100] [--out results/generative-C.json]

For every search space (default: all of the meta-test split; a checkpoint is trained for one
space's dimension, so pass ``--space`` when it fits only one), every dataset and every seed
``test0..test4``, ``HPOBHandler.evaluate_continuous`` drives a fresh
:class:`generative_method.GenerativeOptimizer`; the incumbents go to one JSON file
``{search space: {dataset: {seed: [incumbents]}}}``, the format HPO-B's ``BenchmarkPlotter`` reads.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from hypersweep.hpob import HPOBHandler

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generative_method import GenerativeOptimizer  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--checkpoint", required=True, help="written by 'hypersweep meta-train'")
    parser.add_argument("--root", default="hpob-data/", help="HPO-B data folder")
    parser.add_argument("--surrogates-dir", default="saved-surrogates/", help="HPO-B's surrogates folder")
    parser.add_argument("--space", action="append", help="search space id; repeat (default: all)")
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--out", default="results/generative-C.json")
    args = parser.parse_args()
    handler = HPOBHandler(root_dir=args.root, mode="v3-test", surrogates_dir=args.surrogates_dir)
    results: dict[str, dict[str, dict[str, list[float]]]] = {}
    for space in args.space or handler.get_search_spaces():
        results[space] = {}
        for dataset in handler.get_datasets(space):
            results[space][dataset] = {}
            for k, seed in enumerate(handler.get_seeds()):
                method = GenerativeOptimizer(args.checkpoint, seed=k)
                incumbents = handler.evaluate_continuous(method, space, dataset, seed, n_trials=args.trials)
                results[space][dataset][seed] = [float(v) for v in incumbents]
                print(f"{space} {dataset} {seed}: final incumbent {incumbents[-1]:.4f}", flush=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
