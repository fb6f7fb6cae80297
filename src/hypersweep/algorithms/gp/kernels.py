"""Stationary ARD kernels as functions of the scaled squared distance.

Every kernel here is ``k(x, x') = f(r2)`` with ``r2 = sum_d lam_d (x_d - x'_d)**2`` and
``lam_d = 1 / length_scale_d**2`` (the inverse squared length scales). The GP multiplies ``f``
by an output scale. Each kernel gives ``f(r2)`` and ``df/dr2``, which is all the marginal
likelihood gradient (with respect to ``lam``) and the acquisition gradient (with respect to
``x``) need.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

_SQRT3 = math.sqrt(3.0)
_SQRT5 = math.sqrt(5.0)
#: smallest distance used where a kernel's derivative is singular at r = 0 (Matern 1/2)
_TINY = 1e-12


@dataclass(frozen=True)
class Kernel:
    """A Matern (``nu`` in 0.5, 1.5, 2.5) or RBF (``nu=inf``) kernel of ``r2``.

    Example:
        >>> Kernel.matern(2.5).value(np.array([0.0]))
        array([1.])
    """

    name: str
    nu: float

    @classmethod
    def matern(cls, nu: float = 2.5) -> Kernel:
        return cls("matern", float(nu))

    @classmethod
    def rbf(cls) -> Kernel:
        return cls("rbf", math.inf)

    def value(self, r2: np.ndarray) -> np.ndarray:
        """``f(r2)``, same shape as ``r2``."""
        if self.nu == math.inf:
            return np.exp(-0.5 * r2)
        r = np.sqrt(np.maximum(r2, 0.0))
        if self.nu == 2.5:
            t = _SQRT5 * r
            return (1.0 + t + t * t / 3.0) * np.exp(-t)
        if self.nu == 1.5:
            t = _SQRT3 * r
            return (1.0 + t) * np.exp(-t)
        return np.exp(-r)

    def value_and_grad(self, r2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(f(r2), df/dr2)``, both the shape of ``r2``."""
        if self.nu == math.inf:
            f = np.exp(-0.5 * r2)
            return f, -0.5 * f
        r = np.sqrt(np.maximum(r2, 0.0))
        if self.nu == 2.5:
            t = _SQRT5 * r
            e = np.exp(-t)
            return (1.0 + t + t * t / 3.0) * e, (-5.0 / 6.0) * (1.0 + t) * e
        if self.nu == 1.5:
            t = _SQRT3 * r
            e = np.exp(-t)
            return (1.0 + t) * e, -1.5 * e
        e = np.exp(-r)
        return e, -0.5 * e / np.maximum(r, _TINY)


def scaled_sq_dist(a: np.ndarray, b: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """``r2`` between the rows of ``a`` (n, D) and ``b`` (m, D): shape (n, m), never negative."""
    sa = a * np.sqrt(lam)
    sb = b * np.sqrt(lam)
    r2 = (sa * sa).sum(1)[:, None] + (sb * sb).sum(1)[None, :] - 2.0 * sa @ sb.T
    return np.maximum(r2, 0.0)


def self_sq_dist(x: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """``scaled_sq_dist(x, x, lam)`` with an exact zero diagonal: shape (n, n)."""
    r2 = scaled_sq_dist(x, x, lam)
    np.fill_diagonal(r2, 0.0)
    return r2


def pairwise_sq_diff(x: np.ndarray) -> np.ndarray:
    """Per-dimension squared differences of the rows of ``x`` (n, D): shape (n, n, D)."""
    diff = x[:, None, :] - x[None, :, :]
    return diff * diff


__all__ = ["Kernel", "pairwise_sq_diff", "scaled_sq_dist", "self_sq_dist"]
