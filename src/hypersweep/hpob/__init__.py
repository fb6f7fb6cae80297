"""HPO-B (Pineda-Arango et al., 2021) for hypersweep algorithms.

* :class:`HPOBMethod` (``method.py``): any hypersweep algorithm behind HPO-B's
  ``observe_and_suggest`` call.
* :class:`HPOBHandler` (``handler.py``): HPO-B's evaluation protocols over its data files (or
  files in the same format), with the regret and rank summaries of its papers.

``pip install 'hypersweep[hpob]'`` adds XGBoost for HPO-B's continuous-protocol surrogates; the
rest needs only the core dependencies.
"""
from __future__ import annotations

from hypersweep.hpob.handler import (
    SEEDS,
    HPOBHandler,
    Surrogate,
    SurrogateFactory,
    average_rank,
    load_results,
    mean_regret,
    plot_curves,
    regret_matrix,
    save_results,
    xgboost_surrogates,
)
from hypersweep.hpob.method import AlgorithmFactory, CandidateChooser, HPOBMethod, unit_space

__all__ = [
    "SEEDS",
    "AlgorithmFactory",
    "CandidateChooser",
    "HPOBHandler",
    "HPOBMethod",
    "Surrogate",
    "SurrogateFactory",
    "average_rank",
    "load_results",
    "mean_regret",
    "plot_curves",
    "regret_matrix",
    "save_results",
    "unit_space",
    "xgboost_surrogates",
]
