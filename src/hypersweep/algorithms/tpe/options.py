"""TPE's options (the keys of a sweep file's ``tpe:`` block), declared, and the split size gamma(n)."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from hypersweep.options import OptionSet, OptionValueError, choice, custom, did_you_mean, flag, integer, number

BANDWIDTHS = ("gap", "fixed")
_GAMMA_RULE = "must be a fraction in (0, 1] of the trials that form the good group, or sqrt"


def _gamma(value: Any, field: str) -> float | str:
    """A fraction in (0, 1] of the ranked trials, or ``"sqrt"``."""
    if value == "sqrt":
        return "sqrt"
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))
    if not ok or not 0.0 < float(value) <= 1.0:
        hint = did_you_mean(value, ["sqrt"]) if isinstance(value, str) else ""
        raise OptionValueError(f"{_GAMMA_RULE}{hint}")
    return float(value)


#: defaults after Watanabe (2023), "Tree-structured Parzen estimator: understanding its algorithm
#: components": multivariate kernels, linear gamma 0.1 capped at 25, prior weight 1, magic clip;
#: per-observation bandwidths from the gaps to neighbouring observations (as Optuna 5).
OPTIONS = OptionSet(
    "tpe",
    integer("n_startup_trials", 10, minimum=0),
    integer("n_ei_candidates", 24, minimum=1),
    custom("gamma", 0.1, _gamma, rule=_GAMMA_RULE, words=("sqrt",)),
    integer("max_good", 25, minimum=1),
    number("prior_weight", 1.0, minimum=0.0, open_low=True),
    flag("multivariate", True),
    flag("constant_liar", True),
    flag("consider_magic_clip", True),
    flag("consider_endpoints", False),
    number("bandwidth_factor", 0.2, minimum=0.0, open_low=True),
    choice("bandwidth", "gap", BANDWIDTHS),
)


def good_group_size(n: int, gamma: float | str, max_good: int) -> int:
    """How many of ``n`` ranked observations form the good group l(x): at least 1 when n > 0."""
    if n <= 0:
        return 0
    k = math.ceil(0.25 * math.sqrt(n)) if gamma == "sqrt" else math.ceil(float(gamma) * n)
    return int(max(1, min(k, max_good, n)))


__all__ = ["BANDWIDTHS", "OPTIONS", "good_group_size"]
