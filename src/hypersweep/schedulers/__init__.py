"""When to stop a running trial: pruning rules that decide from intermediate reports."""
from hypersweep.schedulers.curves import Curves
from hypersweep.schedulers.pruners import (
    PRUNERS,
    MedianPruner,
    PatiencePruner,
    PercentilePruner,
    Pruner,
    ThresholdPruner,
)

__all__ = ["PRUNERS", "Curves", "MedianPruner", "PatiencePruner", "PercentilePruner", "Pruner", "ThresholdPruner"]
