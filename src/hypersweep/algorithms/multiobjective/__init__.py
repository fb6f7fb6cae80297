"""Algorithms for sweeps with several metrics and constraints.

``nsga2`` (:class:`NSGA2`, evolutionary, for large budgets) and ``mobo`` (:class:`MOBO`: one GP
per objective and per constraint, expected hypervolume improvement times the probability of
feasibility; ``ehvi`` holds the acquisition). Both read a trial's objectives and constraint
violation through ``MultiObjectiveAlgorithm.results``; fronts and hypervolume are in
``hypersweep.pareto``.
"""
from hypersweep.algorithms.multiobjective.mobo import MOBO
from hypersweep.algorithms.multiobjective.nsga2 import NSGA2

__all__ = ["MOBO", "NSGA2"]
