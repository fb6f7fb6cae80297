"""Acquisition functions for minimization, on standardized targets, with gradients.

Each acquisition maps the posterior ``(mean, std)`` at candidate points to a score to
*maximize*, and gives ``d score / d mean`` and ``d score / d std`` so the optimizer can chain
them with the posterior's input gradients.

* ``ei``: expected improvement ``E[max(best - eps - f, 0)]``, optimized as its logarithm
  (log-EI, stable far below the incumbent where EI underflows to zero);
* ``poi``: probability of improvement ``P(f < best - eps)``, optimized as its logarithm;
* ``ucb``: the lower confidence bound of a loss, negated: ``kappa * std - mean``.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import erfcx, log_ndtr, ndtr

_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)
_HALF_LOG_PI_OVER_2 = 0.5 * math.log(math.pi / 2.0)
_INV_SQRT_EPS = 1.0 / math.sqrt(np.finfo(float).eps)


def expected_improvement(mean: np.ndarray, std: np.ndarray, best: float, eps: float = 0.0) -> np.ndarray:
    """Plain EI of a minimization: ``std * h((best - eps - mean) / std)``, ``h(z) = phi(z) + z Phi(z)``."""
    z = (best - eps - mean) / std
    return std * (np.exp(-0.5 * z * z - _LOG_SQRT_2PI) + z * ndtr(z))


def log_h(z: np.ndarray) -> np.ndarray:
    """``log(phi(z) + z * Phi(z))``, accurate for every z (asymptotics below z = -1)."""
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    upper = z > -1.0
    zu = z[upper]
    out[upper] = np.log(np.exp(-0.5 * zu * zu - _LOG_SQRT_2PI) + zu * ndtr(zu))
    lower = ~upper
    zl = np.maximum(z[lower], -_INV_SQRT_EPS)
    # phi(z) * (1 - |z| * Phi(z) / phi(z)), with the Mills ratio Phi(z)/phi(z) = sqrt(pi/2) erfcx(-z/sqrt2)
    a = np.log(erfcx(-zl / math.sqrt(2.0)) * np.abs(zl)) + _HALF_LOG_PI_OVER_2
    log1mexp = np.where(a > -math.log(2.0), np.log(-np.expm1(a)), np.log1p(-np.exp(a)))
    body = -0.5 * zl * zl - _LOG_SQRT_2PI + log1mexp
    tail = -0.5 * z[lower] ** 2 - _LOG_SQRT_2PI - 2.0 * np.log(np.abs(z[lower]))
    out[lower] = np.where(z[lower] < -_INV_SQRT_EPS, tail, body)
    return out


def log_expected_improvement(mean: np.ndarray, std: np.ndarray, best: float, eps: float = 0.0) -> np.ndarray:
    """``log EI``: finite wherever ``std > 0`` (EI itself underflows)."""
    return np.log(std) + log_h((best - eps - mean) / std)


def probability_of_improvement(mean: np.ndarray, std: np.ndarray, best: float, eps: float = 0.0) -> np.ndarray:
    """``Phi((best - eps - mean) / std)``."""
    return ndtr((best - eps - mean) / std)


def upper_confidence_bound(mean: np.ndarray, std: np.ndarray, kappa: float) -> np.ndarray:
    """For a loss: ``kappa * std - mean`` (the negated lower confidence bound)."""
    return kappa * std - mean


@dataclass(frozen=True)
class Acquisition:
    """One acquisition with its settings; ``score`` is what the optimizer maximizes.

    Example:
        >>> acq = Acquisition("ei", best=0.0)
        >>> bool(acq.score(np.array([0.0]), np.array([1.0]))[0] < 0)  # log EI of 0.399
        True
    """

    kind: str
    best: float
    kappa: float = 2.576
    eps: float = 0.0

    def score(self, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
        if self.kind == "ucb":
            return upper_confidence_bound(mean, std, self.kappa)
        if self.kind == "poi":
            return log_ndtr((self.best - self.eps - mean) / std)
        return log_expected_improvement(mean, std, self.best, self.eps)

    def score_and_grads(self, mean: np.ndarray, std: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(score, d score/d mean, d score/d std)``, each the shape of ``mean``."""
        if self.kind == "ucb":
            return upper_confidence_bound(mean, std, self.kappa), -np.ones_like(mean), np.full_like(std, self.kappa)
        z = (self.best - self.eps - mean) / std
        log_pdf = -0.5 * z * z - _LOG_SQRT_2PI
        if self.kind == "poi":
            log_cdf = log_ndtr(z)
            ratio = np.exp(log_pdf - log_cdf)  # d log Phi / dz
            return log_cdf, -ratio / std, -ratio * z / std
        lh = log_h(z)
        ratio = np.exp(log_ndtr(z) - lh)  # d log h / dz = Phi(z) / h(z)
        return np.log(std) + lh, -ratio / std, (1.0 - ratio * z) / std


ACQUISITIONS = ("ei", "poi", "ucb")

__all__ = [
    "ACQUISITIONS", "Acquisition", "expected_improvement", "log_expected_improvement", "log_h",
    "probability_of_improvement", "upper_confidence_bound",
]


def posterior_scorers(acq: Acquisition, posterior: Any) -> tuple[Callable[[np.ndarray], np.ndarray],
                                                                 Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]]:
    """``acq`` over a GP posterior (``predict`` / ``predict_with_grad``): the score of unit points
    and the score with its gradient, as :func:`~hypersweep.algorithms.gp.optimize.maximize` takes them."""

    def score(xs: np.ndarray) -> np.ndarray:
        mean, var = posterior.predict(xs)
        return acq.score(mean, np.sqrt(var))

    def score_and_grad(xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        mean, var, g_mean, g_var = posterior.predict_with_grad(xs)
        std = np.sqrt(var)
        value, d_mean, d_std = acq.score_and_grads(mean, std)
        return value, d_mean[:, None] * g_mean + (d_std / (2.0 * std))[:, None] * g_var

    return score, score_and_grad
