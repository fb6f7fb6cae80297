"""Two cheap real pipelines: scikit-learn's bundled digits and breast-cancer data sets, a choice of
model family and per-family parameters, minimized as ``1 - mean 3-fold CV accuracy``.

Space (flat: a family's parameters are ignored when another family is chosen):

- ``scaler``: ``none`` | ``standard``; ``family``: ``logreg`` | ``svm`` | ``forest`` | ``knn``;
- ``logreg_C`` (8 levels, 1e-3..1e4); ``svm_C`` (6, 1e-2..1e3) and ``svm_gamma`` (6, 1e-5..1);
- ``forest_max_depth`` (2, 4, 8, 16) and ``forest_max_features`` (``sqrt``, ``log2``, ``0.5``), 32 trees;
- ``knn_n_neighbors`` (8 levels, 1..50) and ``knn_weights`` (``uniform`` | ``distance``).

Every configuration's score depends only on its family's parameters, so the whole problem is a
table of 144 pipelines, computed once (about a minute per data set on one core) and cached as
JSON under ``$HYPERSWEEP_BENCH_CACHE`` (default ``~/.cache/hypersweep-bench``): the optimum and
the regret references are exact, and the cross-validation folds are fixed (``KFold`` with
shuffling, ``random_state=0``).
"""
from __future__ import annotations

import itertools
import json
import os
import sys
from collections.abc import Callable, Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from benchmarks.problems.base import Problem

if TYPE_CHECKING:  # pragma: no cover - typing only
    from hypersweep.space import Space

SCALERS = ("none", "standard")
#: family -> its parameters and their levels
FAMILIES: dict[str, dict[str, list[Any]]] = {
    "logreg": {"logreg_C": [1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0, 1e3, 1e4]},
    "svm": {"svm_C": [1e-2, 1e-1, 1.0, 10.0, 100.0, 1e3], "svm_gamma": [1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0]},
    "forest": {"forest_max_depth": [2, 4, 8, 16], "forest_max_features": ["sqrt", "log2", "0.5"]},
    "knn": {"knn_n_neighbors": [1, 3, 5, 8, 12, 20, 30, 50], "knn_weights": ["uniform", "distance"]},
}
DATASETS = ("digits", "breast_cancer")


def _cache_dir() -> Path:
    return Path(os.environ.get("HYPERSWEEP_BENCH_CACHE", Path.home() / ".cache" / "hypersweep-bench"))


def _level(levels: list[Any], value: Any) -> int:
    """Index of ``value`` among ``levels`` (numbers matched with isclose)."""
    for i, level in enumerate(levels):
        if level == value or (not isinstance(level, str) and not isinstance(value, str)
                              and np.isclose(float(level), float(value))):
            return i
    raise KeyError(f"{value!r} is not one of {levels}")


def _key(scaler: str, family: str, values: Mapping[str, Any]) -> str:
    """Table key: scaler, family and the level index of each of the family's parameters."""
    return json.dumps([scaler, family, [_level(levels, values[k]) for k, levels in FAMILIES[family].items()]])


def _estimator(family: str, values: Mapping[str, Any]) -> Any:
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.svm import SVC

    if family == "logreg":
        return LogisticRegression(C=values["logreg_C"], max_iter=300)
    if family == "svm":
        return SVC(C=values["svm_C"], gamma=values["svm_gamma"])
    if family == "forest":
        feats = values["forest_max_features"]
        return RandomForestClassifier(n_estimators=32, max_depth=values["forest_max_depth"],
                                      max_features=float(feats) if feats == "0.5" else feats, random_state=0, n_jobs=1)
    return KNeighborsClassifier(n_neighbors=values["knn_n_neighbors"], weights=values["knn_weights"])


def _load(dataset: str) -> tuple[np.ndarray, np.ndarray]:
    from sklearn import datasets

    loader = datasets.load_digits if dataset == "digits" else datasets.load_breast_cancer
    x, y = loader(return_X_y=True)
    return np.asarray(x, dtype=float), np.asarray(y)


def compute_table(dataset: str) -> dict[str, float]:
    """``1 - mean CV accuracy`` of every pipeline (keys from :func:`_key`)."""
    import warnings

    from sklearn.model_selection import KFold, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    x, y = _load(dataset)
    folds = KFold(3, shuffle=True, random_state=0)
    table: dict[str, float] = {}
    configs = [(s, f, dict(zip(p, combo, strict=True))) for s in SCALERS for f, p in FAMILIES.items()
               for combo in itertools.product(*p.values())]
    for i, (scaler, family, values) in enumerate(configs):
        steps = ([StandardScaler()] if scaler == "standard" else []) + [_estimator(family, values)]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            acc = cross_val_score(make_pipeline(*steps), x, y, cv=folds).mean()
        table[_key(scaler, family, values)] = 1.0 - float(acc)
        print(f"\rsklearn/{dataset}: {i + 1}/{len(configs)} pipelines", end="", file=sys.stderr)
    print(file=sys.stderr)
    return table


def load_table(dataset: str) -> dict[str, float]:
    """The cached table of ``dataset``, computed (and cached) on first use."""
    path = _cache_dir() / f"sklearn_{dataset}.json"
    if path.exists():
        return dict(json.loads(path.read_text()))
    table = compute_table(dataset)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(table))
    tmp.replace(path)
    return table


class SklearnPipeline(Problem):
    """Model-family choice with per-family parameters on a bundled data set, minimized."""

    family = "sklearn"

    def __init__(self, dataset: str) -> None:
        if dataset not in DATASETS:
            raise ValueError(f"dataset: must be one of {', '.join(DATASETS)}; got {dataset!r}")
        self.dataset = dataset
        self.name = f"sklearn/{dataset}"

    def build_space(self) -> Space:
        from hypersweep.space import Space, values

        dims: dict[str, Any] = {"scaler": values(list(SCALERS)), "family": values(list(FAMILIES))}
        for params in FAMILIES.values():
            dims.update({name: values(levels) for name, levels in params.items()})
        return Space(dims)

    @cached_property
    def table(self) -> dict[str, float]:
        return load_table(self.dataset)

    def evaluate(self, params: Mapping[str, Any]) -> float:
        family = str(params["family"])
        return self.table[_key(str(params["scaler"]), family, params)]

    @property
    def optimum(self) -> float:
        return min(self.table.values())

    def reference_values(self) -> np.ndarray:
        return np.array(list(self.table.values()))


def sklearn_factories() -> dict[str, Callable[[], Problem]]:
    """``{"sklearn/digits": factory, ...}`` (empty when scikit-learn is not installed)."""
    try:
        import sklearn  # noqa: F401
    except ImportError:
        return {}
    return {f"sklearn/{d}": (lambda d=d: SklearnPipeline(d)) for d in DATASETS}
