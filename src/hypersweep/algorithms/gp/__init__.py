"""Gaussian-process Bayesian optimization (registered as ``bo``).

Modules: ``kernels`` (Matern/RBF ARD), ``model`` (marginal likelihood fit, posterior),
``believer`` (the kriging believer for pending trials, shared with ``bohb_gp``), ``acquisition``
(EI/log-EI, PI, UCB), ``geometry`` and ``optimize`` (acquisition search over the mixed space),
``options`` (Polyaxon's ``bo`` options), ``algorithm`` (:class:`GPBO`).
"""
from hypersweep.algorithms.gp.algorithm import GPBO

__all__ = ["GPBO"]
