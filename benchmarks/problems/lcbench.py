"""LCBench at full fidelity (epoch 52) through the YAHPO Gym surrogate, one problem per OpenML task.

The data folder is :func:`benchmarks.data.lcbench_dir` (``$HYPERSWEEP_BENCHMARK_DATA/yahpo/lcbench``,
by default ``../shared/benchmarks`` relative to the repository root), holding
``config_space.json``, ``encoding.json`` and ``model.onnx`` (see that folder's README). The
surrogate runs with onnxruntime (``benchmarks/requirements-peers.txt``), on one thread.

Problem ``lcbench/<task>`` (``lcbench:<task>`` is accepted too) minimizes
``100 - val_accuracy`` (percent) after 52 epochs, over the 7 hyperparameters of
``config_space.json``: log-scaled floats as ``loguniform``, log-scaled ints
(``batch_size``, ``max_units``) as ``qloguniform`` with ``q = 1``, ``num_layers`` as
``quniform [1, 5, 1]``, the rest ``uniform``.

References: the surrogate has no known optimum, so ``optimum``, ``reference_worst`` and
``reference_median`` come from :data:`REFERENCE_SAMPLES` configurations drawn from the space
with seed :data:`REFERENCE_SEED` (the same sample for every task): the best value of that
sample is the "optimum" (an optimizer that beats it gets regret 0).

Fidelity: :meth:`LCBenchProblem.evaluate_at` and :meth:`LCBenchProblem.curve` give the
surrogate's value after any epoch in ``1..52`` (:data:`EPOCHS`), for multi-fidelity benchmarks
(:mod:`benchmarks.multifidelity`); regret references stay at epoch 52.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from functools import cache
from typing import Any

import numpy as np

from benchmarks.data import DATA_ENV, lcbench_dir
from benchmarks.problems.base import Problem
from hypersweep.space import Space

log = logging.getLogger(__name__)

FULL_EPOCH = 52
#: the fidelities the surrogate was fitted on
EPOCHS = range(1, FULL_EPOCH + 1)
REFERENCE_SAMPLES = 20_000
REFERENCE_SEED = 2024
#: order of the surrogate's continuous inputs (epoch first)
INPUTS = ("batch_size", "learning_rate", "momentum", "weight_decay", "num_layers", "max_units", "max_dropout")
_VAL_ACCURACY = 1  # output column


def unavailable_reason() -> str | None:
    """Why LCBench cannot run here (None when it can)."""
    folder = lcbench_dir()
    missing = [f for f in ("config_space.json", "encoding.json", "model.onnx") if not (folder / f).is_file()]
    if missing:
        return f"LCBench data not found: {folder} lacks {', '.join(missing)} (set {DATA_ENV})"
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return "onnxruntime is not installed (pip install -r benchmarks/requirements-peers.txt)"
    return None


@cache
def _config() -> dict[str, Any]:
    folder = lcbench_dir()
    space = json.loads((folder / "config_space.json").read_text())
    encoding = json.loads((folder / "encoding.json").read_text())["OpenML_task_id"]
    return {"hyperparameters": {h["name"]: h for h in space["hyperparameters"]}, "encoding": encoding}


def task_ids() -> list[str]:
    """The OpenML task ids of the space (34), in the file's order ([] when the data is absent)."""
    if unavailable_reason() is not None:
        return []
    return list(_config()["hyperparameters"]["OpenML_task_id"]["choices"])


@cache
def _session() -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(str(lcbench_dir() / "model.onnx"), options, providers=["CPUExecutionProvider"])


def build_space() -> Space:
    """The 7 hyperparameters of ``config_space.json`` as a hypersweep space."""
    from hypersweep.space import Space

    matrix: dict[str, Any] = {}
    for name in INPUTS:
        h = _config()["hyperparameters"][name]
        lo, hi, is_log = h["lower"], h["upper"], bool(h.get("log"))
        if h["type"] == "uniform_float":
            matrix[name] = {"loguniform" if is_log else "uniform": [float(lo), float(hi)]}
        elif h["type"] == "uniform_int":
            matrix[name] = {"qloguniform" if is_log else "quniform": [int(lo), int(hi), 1]}
        else:
            raise ValueError(f"lcbench: hyperparameter {name!r} has unsupported type {h['type']!r}")
    return Space.from_matrix(matrix)


class LCBenchProblem(Problem):
    """One LCBench task at epoch 52: minimize ``100 - val_accuracy``.

    Example:
        >>> p = LCBenchProblem("3945")                 # doctest: +SKIP
        >>> p.evaluate(p.space.sample(0))              # doctest: +SKIP
    """

    family = "lcbench"

    def __init__(self, task: str) -> None:
        reason = unavailable_reason()
        if reason is not None:
            raise ValueError(f"lcbench/{task}: {reason}")
        if str(task) not in task_ids():
            raise ValueError(f"lcbench: unknown task {task!r}; choose one of {', '.join(task_ids())}")
        self.task = str(task)
        self.name = f"lcbench/{self.task}"
        self._code = int(_config()["encoding"][self.task])

    def build_space(self) -> Space:
        return build_space()

    def evaluate_many(self, columns: Mapping[str, np.ndarray], epoch: float | np.ndarray = FULL_EPOCH) -> np.ndarray:
        """Objective of n configurations given as ``{name: array (n,)}``, shape ``(n,)``.

        ``epoch`` (a number or an array ``(n,)`` in ``1..52``) is the fidelity; default 52.
        """
        n = len(next(iter(columns.values())))
        x_cont = np.empty((n, 8), dtype=np.float32)
        x_cont[:, 0] = _check_epoch(epoch)
        for j, name in enumerate(INPUTS, start=1):
            x_cont[:, j] = np.asarray(columns[name], dtype=np.float32)
        x_cat = np.full((n, 1), self._code, dtype=np.int32)
        out = _session().run(None, {"x_cat": x_cat, "x_cont": x_cont})[0]
        return 100.0 - out[:, _VAL_ACCURACY].astype(float)

    def evaluate(self, params: Mapping[str, Any]) -> float:
        return float(self.evaluate_many({name: np.array([params[name]]) for name in INPUTS})[0])

    def evaluate_at(self, params: Mapping[str, Any], epoch: float) -> float:
        """The objective of one params dict after ``epoch`` epochs (``1..52``)."""
        return float(self.evaluate_many({name: np.array([params[name]]) for name in INPUTS}, epoch)[0])

    def curve(self, params: Mapping[str, Any], epochs: int = FULL_EPOCH) -> np.ndarray:
        """The learning curve of one params dict: values after epochs ``1..epochs``, shape ``(epochs,)``."""
        steps = np.arange(1, int(epochs) + 1)
        return self.evaluate_many({name: np.full(steps.size, params[name]) for name in INPUTS}, steps)

    def reference_values(self) -> np.ndarray:
        return _reference_values(self.task)

    @property
    def optimum(self) -> float:
        return float(self.reference_values().min())


def _check_epoch(epoch: float | np.ndarray) -> np.ndarray:
    values = np.asarray(epoch, dtype=float)
    if values.size and (not np.all(np.isfinite(values)) or values.min() < 1 or values.max() > FULL_EPOCH):
        raise ValueError(f"lcbench: epoch must be in [1, {FULL_EPOCH}]; got {epoch!r}")
    return values.astype(np.float32)


@cache
def _reference_sample() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(REFERENCE_SEED)
    space = build_space()
    return {name: np.asarray(space[name].sample(rng, REFERENCE_SAMPLES)) for name in INPUTS}


@cache
def _reference_values(task: str) -> np.ndarray:
    return LCBenchProblem(task).evaluate_many(_reference_sample())


def lcbench_factories() -> dict[str, Any]:
    """``{"lcbench/3945": factory, ...}`` (empty, with a debug log line, when data or onnxruntime is missing)."""
    reason = unavailable_reason()
    if reason is not None:
        log.debug("lcbench problems not registered: %s", reason)
        return {}
    return {f"lcbench/{task}": (lambda t=task: LCBenchProblem(t)) for task in task_ids()}
