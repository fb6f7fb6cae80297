"""hypersweep: hyperparameter optimization with durable, resumable sweeps.

>>> import hypersweep as hs
>>> space = hs.Space({"lr": hs.loguniform(1e-4, 1e-1), "units": hs.values([32, 64])})
>>> sweep = hs.Sweep(space, algorithm="random", metric=hs.Metric("loss", "minimize"), seed=0)
>>> trial = sweep.ask()
>>> _ = sweep.tell(trial, 0.5)
"""
from hypersweep.api import Sweep
from hypersweep.exceptions import (
    HypersweepError,
    InvalidRecordError,
    MultiObjectiveError,
    ParamsError,
    SpecError,
    StorageError,
    SweepExistsError,
    SweepNotFoundError,
    TrialNotFoundError,
    TrialPruned,
    TrialStateError,
)
from hypersweep.outcome import Failed
from hypersweep.records import Constraint, Direction, Metric, Report, Trial, TrialState
from hypersweep.runner.in_trial import report
from hypersweep.schedulers import MedianPruner, PatiencePruner, PercentilePruner, Pruner, ThresholdPruner
from hypersweep.space import (
    Space,
    geomspace,
    linspace,
    logspace,
    loguniform,
    lognormal,
    normal,
    pvalues,
    qloguniform,
    qlognormal,
    qnormal,
    quniform,
    range,
    uniform,
    values,
)
from hypersweep.storage import Storage, open_storage

__version__ = "0.1.0"

_LAZY = {
    "RayExecutor": "hypersweep.runner.ray_executor",
    "DaskExecutor": "hypersweep.runner.dask_executor",
}


def __getattr__(name: str) -> object:
    """``hs.RayExecutor`` and ``hs.DaskExecutor``, imported on first use (never Ray or Dask)."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'hypersweep' has no attribute {name!r}")


__all__ = [
    "Constraint",
    "DaskExecutor",
    "Direction",
    "Failed",
    "HypersweepError",
    "InvalidRecordError",
    "MedianPruner",
    "Metric",
    "MultiObjectiveError",
    "ParamsError",
    "PatiencePruner",
    "PercentilePruner",
    "Pruner",
    "RayExecutor",
    "Report",
    "Space",
    "SpecError",
    "Storage",
    "StorageError",
    "Sweep",
    "SweepExistsError",
    "SweepNotFoundError",
    "ThresholdPruner",
    "Trial",
    "TrialNotFoundError",
    "TrialPruned",
    "TrialState",
    "TrialStateError",
    "geomspace",
    "linspace",
    "logspace",
    "loguniform",
    "lognormal",
    "normal",
    "open_storage",
    "pvalues",
    "qloguniform",
    "qlognormal",
    "qnormal",
    "quniform",
    "range",
    "report",
    "uniform",
    "values",
]
