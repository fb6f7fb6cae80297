"""LCBench through YAHPO Gym's ONNX surrogate (onnxruntime, imported lazily).

The 7 hyperparameters become a hypersweep :class:`~hypersweep.space.Space` (log scales and
integer steps as in the benchmark's ConfigSpace); HPO-B's ``X`` is that space's unit-hypercube
encoding (``Space.to_unit_many``) and a suggested point is decoded with ``Space.from_unit_many``
before the model is queried, at the final epoch 52. The response is ``val_accuracy`` (percent),
maximized.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.data import lcbench_dir
from hypersweep.space import Space

EPOCH = 52
#: model input order after ``epoch`` (see the data folder's README)
_ORDER = ["batch_size", "learning_rate", "momentum", "weight_decay", "num_layers", "max_units", "max_dropout"]
_KINDS = {"uniform_float": ("uniform", "loguniform"), "uniform_int": ("quniform", "qloguniform")}


def available(root: Path | None = None) -> bool:
    """True when the LCBench files and onnxruntime are both present."""
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return (lcbench_dir(root) / "model.onnx").is_file()


def _config(root: Path | None) -> dict[str, Any]:
    with open(lcbench_dir(root) / "config_space.json") as fh:
        return json.load(fh)


def lcbench_space(root: Path | None = None) -> Space:
    """The 7 hyperparameters as a Space, in the model's input order."""
    hps = {h["name"]: h for h in _config(root)["hyperparameters"]}
    matrix: dict[str, Any] = {}
    for name in _ORDER:
        h = hps[name]
        kind = _KINDS[h["type"]][1 if h.get("log") else 0]
        bounds = [h["lower"], h["upper"]] + ([1] if h["type"] == "uniform_int" else [])
        matrix[name] = {kind: bounds}
    return Space.from_matrix(matrix)


def task_ids(root: Path | None = None) -> list[str]:
    """The 34 OpenML task ids, as the config space lists them."""
    hps = {h["name"]: h for h in _config(root)["hyperparameters"]}
    return [str(c) for c in hps["OpenML_task_id"]["choices"]]


@lru_cache(maxsize=2)
def _session(path: str) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(path, sess_options=options, providers=["CPUExecutionProvider"])


class LCBenchModel:
    """Final-epoch ``val_accuracy`` of one task: ``model(X)`` with ``X`` of shape ``(n, 7)`` in [0, 1].

    Example:
        >>> model = LCBenchModel("3945")            # doctest: +SKIP
        >>> model(np.full((1, 7), 0.5)).shape       # doctest: +SKIP
        (1,)
    """

    def __init__(self, task: str, root: Path | None = None) -> None:
        folder = lcbench_dir(root)
        with open(folder / "encoding.json") as fh:
            codes = json.load(fh)["OpenML_task_id"]
        if str(task) not in codes:
            raise ValueError(f"lcbench: unknown task {task!r}; choose one of {', '.join(task_ids(root))}")
        self.task = str(task)
        self.code = int(codes[self.task])
        self.space = lcbench_space(root)
        self._path = str(folder / "model.onnx")

    def raw(self, params: list[dict[str, Any]]) -> np.ndarray:
        """``val_accuracy`` of params dicts, shape ``(n,)``."""
        cont = np.array([[EPOCH] + [float(p[k]) for k in _ORDER] for p in params], dtype=np.float32)
        cat = np.full((len(params), 1), self.code, dtype=np.int32)
        out = _session(self._path).run(None, {"x_cat": cat, "x_cont": cont.reshape(-1, 8)})[0]
        return np.asarray(out[:, 1], dtype=float)

    def __call__(self, X: np.ndarray) -> np.ndarray:
        X = np.clip(np.asarray(X, dtype=float).reshape(-1, len(_ORDER)), 0.0, 1.0)
        return self.raw(self.space.from_unit_many(X))


def lcbench_surrogates(root: Path | None = None) -> Callable[[str, str], LCBenchModel]:
    """A :class:`~hypersweep.hpob.HPOBHandler` ``surrogates`` factory for the
    ``lcbench`` search space (the dataset id is the OpenML task id)."""

    def factory(search_space_id: str, dataset_id: str) -> LCBenchModel:
        return LCBenchModel(dataset_id, root)

    return factory


__all__ = ["EPOCH", "LCBenchModel", "available", "lcbench_space", "lcbench_surrogates", "task_ids"]
