"""Polyaxon's ``bo`` options, declared: ``n_initial_trials``, ``n_iterations`` and
``utility_function: {acquisition_function, kappa, eps, gaussian_process: {kernel,
length_scale, nu, n_restarts_optimizer}}``, plus hypersweep's ``target_transform``."""
from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from typing import Any

from hypersweep.algorithms.gp.acquisition import ACQUISITIONS
from hypersweep.algorithms.gp.kernels import Kernel
from hypersweep.options import OptionSet, block, choice, integer, number

logger = logging.getLogger(__name__)

#: ``target_transform`` choices: how observed losses become GP targets
TARGET_TRANSFORMS = ("alternate", "yeo-johnson", "standardize")
#: other documented spellings of the acquisition functions
_ACQUISITION_ALIASES = {"pi": "poi", "lcb": "ucb", "logei": "ei", "log_ei": "ei"}
#: the Matern smoothness values the kernel implements (``nu: .inf`` is the RBF kernel)
_NUS = (0.5, 1.5, 2.5)

GAUSSIAN_PROCESS = OptionSet(
    "bo.utility_function.gaussian_process",
    choice("kernel", "matern", ("matern", "rbf")),
    number("length_scale", 1.0, minimum=0.0, open_low=True),
    number("nu", 2.5, minimum=0.0, open_low=True, allow_inf=True),
    integer("n_restarts_optimizer", 2, minimum=0),
)
UTILITY_FUNCTION = OptionSet(
    "bo.utility_function",
    choice("acquisition_function", "ei", ACQUISITIONS, aliases=_ACQUISITION_ALIASES),
    number("kappa", 2.576, minimum=0.0),
    number("eps", 0.0, minimum=0.0),
    block("gaussian_process", GAUSSIAN_PROCESS),
)
OPTIONS = OptionSet(
    "bo",
    integer("n_initial_trials", 10, minimum=1),
    integer("n_iterations", None, minimum=0, optional=True),
    block("utility_function", UTILITY_FUNCTION),
    choice("target_transform", TARGET_TRANSFORMS[0], TARGET_TRANSFORMS),
)


def make_kernel(gaussian_process: Mapping[str, Any]) -> Kernel:
    """The kernel of a parsed ``gaussian_process`` block: RBF, or Matern with the nearest
    implemented ``nu`` (a warning names the substitution)."""
    nu = gaussian_process["nu"]
    if gaussian_process["kernel"] == "rbf" or math.isinf(nu):
        return Kernel.rbf()
    if nu not in _NUS:
        near = min(_NUS, key=lambda v: abs(v - nu))
        logger.warning("bo: Matern nu=%s is not one of 0.5, 1.5, 2.5; using nu=%s", nu, near)
        nu = near
    return Kernel.matern(nu)


__all__ = ["GAUSSIAN_PROCESS", "OPTIONS", "TARGET_TRANSFORMS", "UTILITY_FUNCTION", "make_kernel"]
