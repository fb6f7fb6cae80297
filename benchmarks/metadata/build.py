"""Build HPO-B-format meta-datasets (meta-train / validation / test split by task), reproducibly.

Usage::

    python -m benchmarks.metadata --out hpob-hs [--rows 2000] [--seed 0] [--family lcbench ...]

writes ``meta-{train,validation,test}-dataset.json`` (and an identical
``meta-train-dataset-augmented.json``), ``bo-initializations.json`` (5 rows per task and seed
``test0..test4``, for every task) and ``summary-stats.json`` (``y_min`` / ``y_max`` per LCBench
task, for the continuous protocol; queried through
:func:`~benchmarks.metadata.lcbench.lcbench_surrogates`). Search space ids are the
family names. Each task holds ``rows`` configurations: LCBench draws them from the space (seeded,
the same draws for every task), the tabular families subsample their full grid (the same rows for
every task of a family). Responses, maximized: LCBench ``val_accuracy`` (percent); HPOBench
seed-averaged ``val_acc``; HPOLib ``-log10`` of the seed-averaged ``val_loss`` (its losses span
five orders of magnitude, which would make min-max normalized regret meaningless).

The same arguments always give byte-identical files.
"""
from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

FAMILIES = ("lcbench", "hpobench", "hpolib")
#: tasks held out per family: (validation, test); the rest is meta-train
HOLDOUT = {"lcbench": (4, 8), "hpobench": (1, 2), "hpolib": (1, 1)}
#: extra random configurations per LCBench task used for the surrogate's y_min / y_max
STATS_SAMPLES = 20_000

Task = dict[str, list[list[float]]]


def split_tasks(tasks: Sequence[str], n_validation: int, n_test: int, seed: int) -> dict[str, list[str]]:
    """A seeded permutation of ``tasks`` cut into train / validation / test (each kept sorted as given)."""
    order = np.random.default_rng(seed).permutation(len(tasks))
    test = {tasks[i] for i in order[:n_test]}
    validation = {tasks[i] for i in order[n_test : n_test + n_validation]}
    return {
        "train": [t for t in tasks if t not in test and t not in validation],
        "validation": [t for t in tasks if t in validation],
        "test": [t for t in tasks if t in test],
    }


def lcbench_tasks(
    rows: int, seed: int, root: Path | None = None, stats_samples: int = STATS_SAMPLES
) -> tuple[dict[str, Task], dict[str, Any]]:
    """LCBench tasks ``{task: {"X", "y"}}`` and their surrogate stats."""
    from benchmarks.metadata.lcbench import (
        LCBenchModel,
        lcbench_space,
        task_ids,
    )

    space = lcbench_space(root)
    X = np.round(space.to_unit_many(space.sample_many(np.random.default_rng(seed), rows)), 6)
    X_stats = space.to_unit_many(space.sample_many(np.random.default_rng(seed + 1), stats_samples))
    tasks: dict[str, Task] = {}
    stats: dict[str, Any] = {}
    for task in task_ids(root):
        model = LCBenchModel(task, root)
        y = model(X)
        both = np.concatenate([y, model(X_stats)])
        tasks[task] = {"X": X.tolist(), "y": np.round(y, 6).reshape(-1, 1).tolist()}
        stats[f"surrogate-lcbench-{task}"] = {"y_min": float(both.min()), "y_max": float(both.max())}
    return tasks, stats


def tabular_tasks(family: str, rows: int, seed: int) -> dict[str, Task]:
    """HPOBench / HPOLib tasks ``{dataset: {"X", "y"}}`` over the same subsampled grid rows."""
    from benchmarks.problems.tabular import TabularProblem, dataset_names

    names = dataset_names(family)
    first = TabularProblem(family, names[0])
    space = first.build_space()
    sizes = [len(c) for c in first.choices.values()]
    total = int(np.prod(sizes))
    index = np.sort(np.random.default_rng(seed).choice(total, size=min(rows, total), replace=False))
    digits = np.stack(np.unravel_index(index, sizes), axis=1)
    params = [{k: choices[i] for (k, choices), i in zip(first.choices.items(), row, strict=True)} for row in digits]
    X = np.round(space.to_unit_many(params), 6).tolist()
    tasks: dict[str, Task] = {}
    for name in names:
        objective = TabularProblem(family, name).table[index]
        y = 1.0 - objective if family == "hpobench" else -np.log10(objective)
        tasks[name] = {"X": X, "y": np.round(y, 8).reshape(-1, 1).tolist()}
    return tasks


def initializations(tasks: dict[str, Task], seed: int) -> dict[str, dict[str, list[int]]]:
    """5 distinct row indices per task and seed ``test0..test4`` (seeded by the task's position)."""
    out: dict[str, dict[str, list[int]]] = {}
    for k, (name, task) in enumerate(sorted(tasks.items())):
        rng = np.random.default_rng([seed, k])
        n = len(task["X"])
        out[name] = {f"test{i}": sorted(int(j) for j in rng.choice(n, size=5, replace=False)) for i in range(5)}
    return out


def build(
    out: str | Path,
    *,
    families: Sequence[str] = FAMILIES,
    rows: int = 2000,
    seed: int = 0,
    root: Path | None = None,
    stats_samples: int = STATS_SAMPLES,
) -> dict[str, dict[str, list[str]]]:
    """Write the meta-dataset files to ``out``; returns ``{family: {split: [task, ...]}}``."""
    unknown = [f for f in families if f not in FAMILIES]
    if unknown:
        raise ValueError(f"families: unknown {unknown}; choose among {', '.join(FAMILIES)}")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    data: dict[str, dict[str, dict[str, Task]]] = {"train": {}, "validation": {}, "test": {}}
    inits: dict[str, Any] = {}
    stats: dict[str, Any] = {}
    splits: dict[str, dict[str, list[str]]] = {}
    for family in families:
        logger.info("metadata: building %s", family)
        if family == "lcbench":
            tasks, family_stats = lcbench_tasks(rows, seed, root, stats_samples)
            stats.update(family_stats)
        else:
            tasks = tabular_tasks(family, rows, seed)
        n_validation, n_test = HOLDOUT[family]
        splits[family] = split_tasks(list(tasks), n_validation, n_test, seed)
        for split, names in splits[family].items():
            data[split][family] = {name: tasks[name] for name in names}
        inits[family] = initializations(tasks, seed)
    files = {
        "meta-train-dataset.json": data["train"],
        "meta-train-dataset-augmented.json": data["train"],
        "meta-validation-dataset.json": data["validation"],
        "meta-test-dataset.json": data["test"],
        "bo-initializations.json": inits,
        "summary-stats.json": stats,
        "splits.json": splits,
    }
    for name, content in files.items():
        (folder / name).write_text(json.dumps(content, separators=(",", ":")))
    return splits


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m benchmarks.metadata --out DIR``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.metadata", description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True, help="folder to write the HPO-B-format files to")
    parser.add_argument("--family", action="append", choices=FAMILIES, help="repeat to pick; default: all")
    parser.add_argument("--rows", type=int, default=2000, help="configurations per task (default 2000)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    splits = build(args.out, families=args.family or FAMILIES, rows=args.rows, seed=args.seed)
    for family, parts in splits.items():
        logger.info("%s: %s", family, {k: len(v) for k, v in parts.items()})
    return 0


__all__ = ["FAMILIES", "HOLDOUT", "build", "initializations", "lcbench_tasks", "main", "split_tasks", "tabular_tasks"]
