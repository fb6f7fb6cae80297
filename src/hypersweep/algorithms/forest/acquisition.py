"""Expected improvement for a minimized target, plain or on log-transformed costs."""
from __future__ import annotations

import numpy as np
from scipy.special import log_ndtr, ndtr

_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)
#: log EI where EI underflows to 0
LOG_FLOOR = -1e300


def expected_improvement(mean: np.ndarray, var: np.ndarray, best: float, xi: float = 0.0) -> np.ndarray:
    """EI of points with predictive ``mean`` and ``var`` (shape ``(n,)``) below ``best``.

    ``EI = (best - xi - mean) * Phi(z) + sd * phi(z)``, ``z = (best - xi - mean) / sd``.
    """
    sd = np.sqrt(np.maximum(var, 0.0))
    gain = best - xi - mean
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(sd > 0, gain / np.where(sd > 0, sd, 1.0), 0.0)
    pdf = np.exp(-0.5 * z * z - _LOG_SQRT_2PI)
    ei = gain * ndtr(z) + sd * pdf
    return np.where(sd > 0, np.maximum(ei, 0.0), np.maximum(gain, 0.0))


def log_expected_improvement(mean: np.ndarray, var: np.ndarray, best: float, xi: float = 0.0) -> np.ndarray:
    """SMAC's log EI: the EI of ``exp(f)`` when the model predicts ``f = log(cost)`` (Hutter et al. 2009).

    ``EI = exp(best') * Phi(v) - exp(mean + var / 2) * Phi(v - sd)``, ``v = (best' - mean) / sd``,
    ``best' = best - xi``; returned as its logarithm (computed stably) so the ranking survives
    the tiny values far from the incumbent (floored at ``LOG_FLOOR``, never -inf).
    """
    sd = np.sqrt(np.maximum(var, 1e-300))
    target = best - xi
    v = (target - mean) / sd
    a = target + log_ndtr(v)
    b = mean + 0.5 * var + log_ndtr(v - sd)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        diff = np.where(b < a, np.log1p(-np.exp(np.minimum(b - a, 0.0))), -np.inf)
    return np.maximum(a + diff, LOG_FLOOR)
