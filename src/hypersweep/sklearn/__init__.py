"""scikit-learn search estimators backed by hypersweep sweeps (``pip install hypersweep[sklearn]``)."""
from hypersweep.sklearn.halving import SweepHalvingSearchCV
from hypersweep.sklearn.search import SweepSearchCV

__all__ = ["SweepHalvingSearchCV", "SweepSearchCV"]
