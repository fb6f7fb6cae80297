"""SMAC-style random-forest Bayesian optimization (registered as ``smac``).

Modules: :mod:`.options` (the ``smac:`` block), :mod:`.encoding` (unit-encoded rows,
snapping, neighbourhoods), :mod:`.model` (the forest), :mod:`.acquisition` (EI, log EI),
:mod:`.search` (local + random acquisition search), :mod:`.smac` (the algorithm).
Needs scikit-learn (the ``forest`` extra: ``pip install 'hypersweep[forest]'``).
"""
from __future__ import annotations

from hypersweep.algorithms.forest.smac import SMAC

__all__ = ["SMAC"]
