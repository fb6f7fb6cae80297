"""Does the generative optimizer's decoder earn its place? Pick rate and the decoder ablation.

Usage::

    python -m benchmarks.generative_decoder --root /tmp/hpob-hs --checkpoint lcbench.pt \\
        --split validation [--option gp_after=10 ...] [--trials 50] [--out results/]

On the chosen split's LCBench tasks (``validation`` to choose settings, ``test`` to confirm) and
HPO-B seeds ``test0..test4``, the continuous protocol runs the generative optimizer twice per
(task, seed): as is, and with ``decoder=false`` (the decoder's proposals replaced by as many
perturbations of the best points and uniform draws). It prints how often the chosen suggestion
came from the decoder (network phase, GP phase) and the mean normalized regret at 10/25/50 trials
of both, with the paired difference (ablated minus full; positive = the decoder helps) and its
90% t-interval over the runs. ``--out`` keeps the raw runs and both variants' HPO-B result files
(``generative-C.json``, ``generative-no-decoder-C.json``) for ``benchmarks.hpob_paired``.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from hypersweep.hpob import HPOBHandler, HPOBMethod, save_results
from benchmarks.hpob_paired import paired
from benchmarks.metadata.lcbench import lcbench_surrogates

MARKS = (10, 25, 50)


def handler_for(root: str, split: str) -> HPOBHandler:
    handler = HPOBHandler(root_dir=root, mode="v3", surrogates_dir=root, surrogates=lcbench_surrogates())
    if split == "validation":
        handler.meta_test_data = handler.meta_validation_data or {}
    return handler


def run(handler: HPOBHandler, checkpoint: str, options: dict[str, Any], trials: int) -> dict[str, Any]:
    """Incumbents and suggestion sources per (task, seed) run, for the full and ablated optimizer."""
    out: dict[str, Any] = {"full": {}, "ablated": {}, "sources": {}}
    for dataset in handler.get_datasets("lcbench"):
        for k, seed in enumerate(handler.get_seeds()):
            key = f"{dataset}/{seed}"
            for variant, decoder in (("full", True), ("ablated", False)):
                method = HPOBMethod("generative", seed=k, checkpoint=checkpoint, decoder=decoder, **options)
                out[variant][key] = handler.evaluate_continuous(method, "lcbench", dataset, seed, n_trials=trials)
                if decoder and method._algo is not None:
                    out["sources"][key] = list(method._algo.sources)
            print(f"  {key}: regret@{trials} full {1 - out['full'][key][-1]:.4f} "
                  f"ablated {1 - out['ablated'][key][-1]:.4f}", file=sys.stderr, flush=True)
    return out


def as_hpob(runs: dict[str, list[float]]) -> dict[str, dict[str, dict[str, list[float]]]]:
    """``{"dataset/seed": incumbents}`` as HPO-B's result format for the ``lcbench`` space."""
    out: dict[str, dict[str, list[float]]] = {}
    for key, incumbents in runs.items():
        dataset, seed = key.split("/")
        out.setdefault(dataset, {})[seed] = incumbents
    return {"lcbench": out}


def report(result: dict[str, Any], gp_after: int, trials: int) -> str:
    keys = sorted(result["full"])
    full = 1.0 - np.array([result["full"][k] for k in keys])
    ablated = 1.0 - np.array([result["ablated"][k] for k in keys])
    net, gp = Counter(), Counter()
    for k in keys:
        for i, source in enumerate(result["sources"].get(k, [])):
            (net if 5 + i < gp_after else gp)[source] += 1
    lines = [f"runs: {len(keys)}; chosen suggestions by source, network phase: {dict(net)}; GP phase: {dict(gp)}",
             f"decoder pick rate: network phase {net['decoder']}/{sum(net.values())}, "
             f"GP phase {gp['decoder']}/{sum(gp.values())}", "",
             "| trials | full | decoder replaced | ablated - full (90% CI) |", "|---:|---:|---:|---|"]
    for m in (m for m in MARKS if m <= trials):
        mean, low, high = paired(ablated[:, m] - full[:, m])
        lines.append(f"| {m} | {full[:, m].mean():.4f} | {ablated[:, m].mean():.4f} | "
                     f"{mean:+.4f} [{low:+.4f}, {high:+.4f}] |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", required=True, help="HPO-B-format meta-dataset folder (with lcbench)")
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--split", choices=["validation", "test"], required=True)
    parser.add_argument("--option", action="append", default=[], help="generative option NAME=NUMBER; repeat")
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--out", help="folder for the raw result JSON")
    args = parser.parse_args(argv)
    options = {k: (float(v) if "." in v else int(v)) for k, v in (o.split("=", 1) for o in args.option)}
    start = time.process_time()
    result = run(handler_for(args.root, args.split), args.checkpoint, options, args.trials)
    text = report(result, int(options.get("gp_after", 10)), args.trials)
    print(f"{args.split} split, checkpoint {args.checkpoint}, options {options}, "
          f"{time.process_time() - start:.0f} CPU s\n{text}")
    if args.out:
        Path(args.out).mkdir(parents=True, exist_ok=True)
        name = f"decoder-{args.split}-{Path(args.checkpoint).stem}.json"
        (Path(args.out) / name).write_text(json.dumps({"options": options, **result}))
        for variant, label in (("full", "generative"), ("ablated", "generative-no-decoder")):
            save_results(as_hpob(result[variant]), Path(args.out) / f"{label}-C.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
