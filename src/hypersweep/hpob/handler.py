"""HPO-B's benchmark handler (Pineda-Arango et al., 2021), reimplemented without its globals.

:class:`HPOBHandler` reads the files HPO-B distributes (or files in the same format, e.g. those
``python -m benchmarks.metadata`` builds) and runs a method's
``observe_and_suggest`` under HPO-B's exact protocol, so the incumbent lists it returns are
comparable with HPO-B's published result files:

* ``root_dir`` holds ``meta-train-dataset.json``, ``meta-validation-dataset.json``,
  ``meta-test-dataset.json`` (search space id -> dataset id -> ``{"X": (n, d), "y": (n, 1)}``),
  ``meta-train-dataset-augmented.json`` (modes ``v1`` and ``v3-train-augmented`` only) and
  ``bo-initializations.json`` (space -> dataset -> seed key, e.g. ``"test0"``, -> initial row
  indices; any seed key listed there is accepted and all its indices are used);
* ``surrogates_dir`` holds ``summary-stats.json`` (``surrogate-{space}-{dataset}`` ->
  ``{"y_min", "y_max"}``) and one XGBoost model ``surrogate-{space}-{dataset}.json`` per task
  (xgboost is imported only by :meth:`HPOBHandler.evaluate_continuous`). Pass ``surrogates=`` to
  use other response models (e.g. the LCBench ONNX adapter).

Protocol, as in HPO-B's ``hpob_handler.py``:

* ``evaluate`` (discrete): ``y`` min-max normalized over the task's rows; the seed's initial
  rows observed; each trial the method picks an index into the still-pending rows. Once the
  task's best row has been observed the method is no longer called and the list is padded with
  1.0 (the normalized optimum). Returns ``n_trials + 1`` incumbents (the first is the best
  initial value).
* ``evaluate_continuous``: the seed's initial rows with their stored ``y``; each suggested point
  is scored by the task's surrogate; responses normalized by ``(y - y_min) / (y_max - y_min)``
  and clipped to [0, 1]. Returns ``n_trials + 1`` incumbents; like HPO-B, the entry after the
  last evaluation repeats the incumbent *before* it, and once a raw response reaches ``y_max``
  the method is no longer called: that incumbent is recorded, then 1.0 fills the list.

Regret of an incumbent ``v`` is ``1 - v`` in both protocols (normalized values have maximum 1).
"""
from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from hypersweep.exceptions import ParamsError

logger = logging.getLogger(__name__)

#: a response model of one task: ``(n, d)`` points in [0, 1] -> ``(n,)`` raw responses
Surrogate = Callable[[np.ndarray], np.ndarray]
#: builds the surrogate of ``(search_space_id, dataset_id)``
SurrogateFactory = Callable[[str, str], Surrogate]

SEEDS = ["test0", "test1", "test2", "test3", "test4"]
MODES = ("v1", "v2", "v3", "v3-test", "v3-train-augmented")


def _load_json(path: Path) -> Any:
    if not path.is_file():
        raise FileNotFoundError(f"hpob: {path} is missing; download HPO-B's data or build a meta-dataset there")
    with open(path, "rb") as fh:
        return json.load(fh)


def xgboost_surrogates(surrogates_dir: str | os.PathLike[str]) -> SurrogateFactory:
    """HPO-B's saved XGBoost surrogates: ``{surrogates_dir}/surrogate-{space}-{dataset}.json``."""
    root = Path(surrogates_dir)

    def factory(search_space_id: str, dataset_id: str) -> Surrogate:
        try:
            import xgboost as xgb
        except ImportError:  # pragma: no cover - depends on the environment
            raise ImportError(
                "hpob: evaluate_continuous needs xgboost for HPO-B's surrogates; pip install 'hypersweep[hpob]'"
            ) from None
        booster = xgb.Booster()
        booster.load_model(str(root / f"surrogate-{search_space_id}-{dataset_id}.json"))
        return lambda X: np.asarray(booster.predict(xgb.DMatrix(np.asarray(X, dtype=float))), dtype=float)

    return factory


class HPOBHandler:
    """Load HPO-B(-format) meta-datasets and evaluate methods under HPO-B's protocol.

    Args:
        root_dir: folder with the meta-dataset files (see the module docstring).
        mode: ``"v3-test"`` (only meta-test and initializations), ``"v3"`` (all splits),
            ``"v3-train-augmented"`` (augmented meta-train), ``"v1"`` / ``"v2"`` (every task of a
            search space merged into ``meta_test_data``, augmented / plain meta-train).
        surrogates_dir: folder with ``summary-stats.json`` and the XGBoost surrogates.
        surrogates: optional factory ``(space, dataset) -> f(X) -> y`` replacing the XGBoost files.

    Example:
        >>> handler = HPOBHandler(root_dir="hpob-data/", mode="v3-test")   # doctest: +SKIP
        >>> from hypersweep.hpob import HPOBMethod                # doctest: +SKIP
        >>> handler.evaluate(HPOBMethod("random", seed=0), "5971", "10093", "test0", n_trials=50)  # doctest: +SKIP
    """

    def __init__(
        self,
        root_dir: str | os.PathLike[str] = "hpob-data/",
        mode: str = "v3-test",
        surrogates_dir: str | os.PathLike[str] = "saved-surrogates/",
        surrogates: SurrogateFactory | None = None,
    ) -> None:
        if mode not in MODES:
            raise ParamsError(f"hpob: mode must be one of {', '.join(MODES)}; got {mode!r}")
        self.mode = mode
        self.root_dir = Path(root_dir)
        self.surrogates_dir = Path(surrogates_dir)
        self.seeds = list(SEEDS)
        self.meta_train_data: dict[str, Any] | None = None
        self.meta_validation_data: dict[str, Any] | None = None
        self._surrogates = surrogates or xgboost_surrogates(self.surrogates_dir)
        self._load(version="v3" if mode.startswith("v3") else mode, only_test=mode == "v3-test")
        stats = self.surrogates_dir / "summary-stats.json"
        self.surrogates_stats: dict[str, dict[str, float]] = _load_json(stats) if stats.is_file() else {}
        logger.debug("hpob: loaded %s from %s", mode, self.root_dir)

    def _load(self, *, version: str, only_test: bool) -> None:
        root = self.root_dir
        self.meta_test_data = _load_json(root / "meta-test-dataset.json")
        self.bo_initializations = _load_json(root / "bo-initializations.json")
        if not only_test:
            augmented = self.mode == "v3-train-augmented" or version == "v1"
            name = "meta-train-dataset-augmented.json" if augmented else "meta-train-dataset.json"
            self.meta_train_data = _load_json(root / name)
            self.meta_validation_data = _load_json(root / "meta-validation-dataset.json")
        if version in ("v1", "v2"):  # every task of a search space becomes a test task
            train, validation = self.meta_train_data or {}, self.meta_validation_data or {}
            merged: dict[str, Any] = {}
            for space in train:
                merged[space] = dict(train[space])
                if space in self.meta_test_data:
                    merged[space].update(self.meta_test_data[space])
                    merged[space].update(validation.get(space, {}))
            self.meta_train_data = None
            self.meta_validation_data = None
            self.meta_test_data = merged
        self.search_space_dims = {
            space: len(next(iter(tasks.values()))["X"][0]) for space, tasks in self.meta_test_data.items() if tasks
        }

    # -- HPO-B's accessors -------------------------------------------------------------------
    def get_search_spaces(self) -> list[str]:
        """Search space ids of the evaluation tasks."""
        return list(self.meta_test_data.keys())

    def get_datasets(self, search_space: str) -> list[str]:
        """Dataset ids of the evaluation tasks of ``search_space``."""
        return list(self._space(search_space).keys())

    def get_seeds(self) -> list[str]:
        """HPO-B's initial designs ``"test0" .. "test4"`` (any seed key of ``bo-initializations.json``
        is accepted by the protocols)."""
        return list(self.seeds)

    def get_search_space_dim(self, search_space: str) -> int:
        """Dimension ``d`` of ``search_space``."""
        self._space(search_space)
        return int(self.search_space_dims[search_space])

    @staticmethod
    def normalize(y: np.ndarray, y_min: float | None = None, y_max: float | None = None) -> np.ndarray:
        """Min-max normalization (over ``y`` itself unless bounds are given)."""
        if y_min is None or y_max is None:
            return (y - np.min(y)) / (np.max(y) - np.min(y))
        return (y - y_min) / (y_max - y_min)

    # -- protocols ---------------------------------------------------------------------------
    def evaluate(
        self,
        bo_method: Any = None,
        search_space_id: str | None = None,
        dataset_id: str | None = None,
        seed: str | None = None,
        n_trials: int = 10,
    ) -> list[float]:
        """HPO-B's discrete protocol; returns ``n_trials + 1`` incumbents of normalized ``y``."""
        X, y, init = self._task(bo_method, search_space_id, dataset_id, seed)
        y = self.normalize(y)
        optimum = float(np.max(y))
        pending = list(range(len(X)))
        current: list[int] = []
        for idx in init:
            pending.remove(idx)
            current.append(idx)
        history = [float(np.max(y[current]))]
        for _ in range(int(n_trials)):
            if not pending:
                break
            pick = int(bo_method.observe_and_suggest(X[current], y[current], X[pending]))
            if not 0 <= pick < len(pending):
                raise ParamsError(f"hpob: observe_and_suggest returned index {pick}, outside 0..{len(pending) - 1}")
            idx = pending.pop(pick)
            current.append(idx)
            history.append(float(np.max(y[current])))
            if history[-1] == optimum:  # HPO-B stops once the best row is observed
                break
        return history + [optimum] * (int(n_trials) + 1 - len(history))

    def evaluate_continuous(
        self,
        bo_method: Any = None,
        search_space_id: str | None = None,
        dataset_id: str | None = None,
        seed: str | None = None,
        n_trials: int = 10,
    ) -> list[float]:
        """HPO-B's continuous protocol on the task's surrogate; returns ``n_trials + 1`` incumbents."""
        X, y, init = self._task(bo_method, search_space_id, dataset_id, seed)
        name = f"surrogate-{search_space_id}-{dataset_id}"
        if name not in self.surrogates_stats:
            raise ParamsError(
                f"hpob: {self.surrogates_dir / 'summary-stats.json'} has no entry {name!r}; "
                "pass the surrogates_dir holding HPO-B's saved surrogates"
            )
        y_min = float(self.surrogates_stats[name]["y_min"])
        y_max = float(self.surrogates_stats[name]["y_max"])
        surrogate = self._surrogates(str(search_space_id), str(dataset_id))
        dim = X.shape[1]
        x_observed, y_observed = X[init], y[init]
        history: list[float] = []
        best = float(np.max(np.clip(self.normalize(y_observed, y_min, y_max), 0.0, 1.0)))
        for _ in range(int(n_trials)):
            y_tf = np.clip(self.normalize(y_observed, y_min, y_max), 0.0, 1.0)
            best = float(np.max(y_tf))
            history.append(best)
            new_x = np.asarray(bo_method.observe_and_suggest(x_observed, y_tf), dtype=float).reshape(-1, dim)
            new_y = np.asarray(surrogate(new_x), dtype=float).reshape(-1)
            y_observed = np.append(y_observed, new_y).reshape(-1, 1)
            x_observed = np.append(x_observed, new_x).reshape(-1, dim)
            if np.max(y_observed) >= y_max:  # HPO-B stops once the surrogate's maximum is reached
                break
        history.append(best)  # HPO-B repeats the incumbent before the last evaluation here
        return history + [1.0] * (int(n_trials) + 1 - len(history))

    # -- internals ---------------------------------------------------------------------------
    def _space(self, search_space: str) -> dict[str, Any]:
        if search_space not in self.meta_test_data:
            raise ParamsError(
                f"hpob: unknown search space {search_space!r}; choose one of {', '.join(self.meta_test_data)}"
            )
        return dict(self.meta_test_data[search_space])

    def _task(
        self, bo_method: Any, search_space_id: str | None, dataset_id: str | None, seed: str | None
    ) -> tuple[np.ndarray, np.ndarray, list[int]]:
        if bo_method is None or not hasattr(bo_method, "observe_and_suggest"):
            raise ParamsError(f"hpob: bo_method must have an observe_and_suggest method; got {bo_method!r}")
        tasks = self._space(str(search_space_id))
        if dataset_id not in tasks:
            raise ParamsError(
                f"hpob: unknown dataset {dataset_id!r} in search space {search_space_id!r}; "
                f"choose one of {', '.join(tasks)}"
            )
        seeds = self.bo_initializations.get(str(search_space_id), {}).get(str(dataset_id), {})
        if seed not in seeds:
            raise ParamsError(
                f"hpob: seed must be a key of bo-initializations.json for {search_space_id}/{dataset_id} "
                f"({', '.join(seeds) or 'none listed'}); got {seed!r}"
            )
        task = tasks[str(dataset_id)]
        X = np.asarray(task["X"], dtype=float)
        y = np.asarray(task["y"], dtype=float).reshape(-1, 1)
        init = [int(i) for i in seeds[seed]]
        return X, y, init


# -- result files, regret and ranks ----------------------------------------------------------
Results = Mapping[str, Mapping[str, Mapping[str, Mapping[str, list[float]]]]]
"""HPO-B's result format per method: space -> dataset -> seed -> incumbents."""


def save_results(results: Results, path: str | os.PathLike[str]) -> Path:
    """Write one method's incumbents as HPO-B's result file (``{space: {dataset: {seed: [...]}}}``,
    the JSON its ``BenchmarkPlotter`` reads); ids become strings, incumbents floats."""
    plain = {
        str(space): {
            str(dataset): {str(seed): [float(v) for v in runs[seed]] for seed in runs}
            for dataset, runs in datasets.items()
        }
        for space, datasets in results.items()
    }
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(plain))
    return out


def load_results(path: str | os.PathLike[str]) -> dict[str, dict[str, dict[str, list[float]]]]:
    """Read an HPO-B result file (ours or one of HPO-B's published ``results/*.json``)."""
    data = _load_json(Path(path))
    ok = isinstance(data, dict) and all(
        isinstance(datasets, dict) and all(
            isinstance(runs, dict) and all(isinstance(v, list) for v in runs.values())
            for runs in datasets.values()
        )
        for datasets in data.values()
    )
    if not ok:
        raise ParamsError(f"hpob: {path} is not an HPO-B result file ({{space: {{dataset: {{seed: [incumbents]}}}}}})")
    return {s: {d: {k: [float(v) for v in r] for k, r in runs.items()} for d, runs in ds.items()}
            for s, ds in data.items()}


def regret_matrix(results: Mapping[str, Mapping[str, Mapping[str, list[float]]]]) -> np.ndarray:
    """Normalized regret ``1 - incumbent`` of one method, shape ``(n_runs, n_trials + 1)``.

    Runs are (space, dataset, seed) in sorted order, so two methods' matrices line up.
    """
    rows = [
        1.0 - np.asarray(results[space][dataset][seed], dtype=float)
        for space in sorted(results)
        for dataset in sorted(results[space])
        for seed in sorted(results[space][dataset])
    ]
    return np.vstack(rows) if rows else np.empty((0, 0))


def mean_regret(by_method: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Mean normalized regret per trial of each method (``{method: space -> ... }`` in)."""
    return {name: regret_matrix(res).mean(axis=0) for name, res in by_method.items()}


def average_rank(by_method: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Average rank per trial (1 = best; ties share the mean rank) across the common runs."""
    names = list(by_method)
    mats = np.stack([regret_matrix(by_method[n]) for n in names])  # (methods, runs, trials)
    less = (mats[None, :] < mats[:, None]).sum(axis=1)  # [i] = how many methods beat method i
    ties = (mats[None, :] == mats[:, None]).sum(axis=1)
    ranks = less + (ties + 1) / 2.0
    return {n: ranks[i].mean(axis=0) for i, n in enumerate(names)}


def plot_curves(by_method: Mapping[str, Any], path: str | os.PathLike[str], *, title: str = "") -> Path:
    """Two panels, mean normalized regret (log scale) and average rank over trials; saved to ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    regrets, ranks = mean_regret(by_method), average_rank(by_method)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    for name in by_method:
        ax1.plot(np.maximum(regrets[name], 1e-6), label=name)
        ax2.plot(ranks[name], label=name)
    ax1.set_yscale("log")
    ax1.set(xlabel="trial", ylabel="mean normalized regret", title=title)
    ax2.set(xlabel="trial", ylabel="average rank", title=title)
    ax2.legend()
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out)
    plt.close(fig)
    return out


__all__ = [
    "SEEDS",
    "HPOBHandler",
    "Surrogate",
    "SurrogateFactory",
    "average_rank",
    "load_results",
    "mean_regret",
    "plot_curves",
    "regret_matrix",
    "save_results",
    "xgboost_surrogates",
]
