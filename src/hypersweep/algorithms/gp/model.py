"""Exact GP regression: MAP hyperparameters by L-BFGS-B on the log marginal likelihood, and
the posterior (mean, variance and their gradients with respect to the input).

Hyperparameters are packed in one vector ``theta`` of length ``D + 2``:
``[log lam_1..D, log output_scale, log(noise - MIN_NOISE)]`` with ``lam = 1/length_scale**2``.
The priors follow Optuna's GPSampler defaults: ``-(0.1/lam + 0.1*lam)`` per dimension (a caller
may move its mode with ``lam_scale``), Gamma(2, 1) on the output scale and Gamma(1.1, 30) on the
noise variance. The constant mean is profiled out (its generalized-least-squares estimate), or
fixed by the caller, so it needs no parameter.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.linalg
import scipy.optimize

from hypersweep.algorithms.gp.kernels import (
    Kernel,
    pairwise_sq_diff,
    scaled_sq_dist,
    self_sq_dist,
)

#: floor of the noise variance (targets are standardized), as in Optuna/BoTorch
MIN_NOISE = 1e-6
_LOG_2PI = math.log(2.0 * math.pi)
_JITTER = 1e-9
#: largest (n, n, D) squared-difference array precomputed for a fit (else per dimension)
_DIFFS_LIMIT = 4_000_000


def default_theta(dim: int, length_scale: float = 1.0) -> np.ndarray:
    """The starting point of every fit: lam = 1/length_scale**2, scale 1, noise 1e-3."""
    lam = 1.0 / float(length_scale) ** 2
    return np.concatenate([np.full(dim, math.log(lam)), [0.0, math.log(1e-3)]])


def theta_bounds(dim: int) -> list[tuple[float, float]]:
    """Box bounds for L-BFGS-B (keep the Cholesky well posed)."""
    return [(-9.0, 9.0)] * dim + [(-7.0, 5.0), (-18.0, 1.0)]


def unpack(theta: np.ndarray) -> tuple[np.ndarray, float, float]:
    """``(lam (D,), output_scale, noise_var)`` from ``theta``."""
    dim = theta.shape[0] - 2
    return np.exp(theta[:dim]), float(np.exp(theta[dim])), MIN_NOISE + float(np.exp(theta[dim + 1]))


def log_prior(theta: np.ndarray, lam_scale: np.ndarray | float = 1.0) -> tuple[float, np.ndarray]:
    """Log prior density of ``theta`` (up to a constant) and its gradient.

    ``lam_scale`` (one per length scale, or one number) scales each inverse squared length
    scale before its prior: the prior's mode ``lam = 1`` moves to ``lam = 1 / lam_scale``.
    """
    dim = theta.shape[0] - 2
    lam = np.exp(theta[:dim]) * lam_scale
    scale = math.exp(theta[dim])
    extra = math.exp(theta[dim + 1])
    noise = MIN_NOISE + extra
    value = -np.sum(0.1 / lam + 0.1 * lam) + (math.log(scale) - scale) + (0.1 * math.log(noise) - 30.0 * noise)
    grad = np.empty_like(theta)
    grad[:dim] = 0.1 / lam - 0.1 * lam
    grad[dim] = 1.0 - scale
    grad[dim + 1] = (0.1 / noise - 30.0) * extra
    return float(value), grad


def log_marginal_likelihood(
    theta: np.ndarray,
    kernel: Kernel,
    x: np.ndarray,
    y: np.ndarray,
    sq_diff: np.ndarray | None = None,
    prior_mean: float | None = None,
) -> tuple[float, np.ndarray]:
    """Log marginal likelihood (constant mean profiled out, or fixed at ``prior_mean``) and its
    gradient in ``theta``.

    Args:
        theta: packed hyperparameters, shape (D + 2,).
        x: inputs (n, D); y: targets (n,).
        sq_diff: ``pairwise_sq_diff(x)`` (n, n, D) when precomputed; None: computed per
            dimension (less memory, slower).
        prior_mean: the GP's constant mean when it is fixed (as :meth:`Posterior.build` takes it).
    """
    n, dim = x.shape
    lam, scale, noise = unpack(theta)
    r2 = self_sq_dist(x, lam) if sq_diff is None else sq_diff @ lam
    f, df = kernel.value_and_grad(r2)
    cov = scale * f
    cov[np.diag_indices(n)] += noise + _JITTER
    try:
        chol = scipy.linalg.cho_factor(cov, lower=True, check_finite=False)
    except np.linalg.LinAlgError:
        return -1e25, np.zeros_like(theta)
    ones = np.ones(n)
    k_inv_1 = scipy.linalg.cho_solve(chol, ones, check_finite=False)
    k_inv_y = scipy.linalg.cho_solve(chol, y, check_finite=False)
    mean = float(ones @ k_inv_y / (ones @ k_inv_1)) if prior_mean is None else float(prior_mean)
    alpha = k_inv_y - mean * k_inv_1
    resid = y - mean
    log_det = 2.0 * np.sum(np.log(np.diag(chol[0])))
    value = -0.5 * float(resid @ alpha) - 0.5 * log_det - 0.5 * n * _LOG_2PI
    k_inv = scipy.linalg.cho_solve(chol, np.eye(n), check_finite=False)
    m = np.outer(alpha, alpha) - k_inv
    grad = np.empty_like(theta)
    w = m * df
    if sq_diff is not None:
        grad[:dim] = 0.5 * scale * lam * (w.reshape(-1) @ sq_diff.reshape(n * n, dim))
    else:  # one dimension at a time: no (n, n, D) array
        for d in range(dim):
            diff = x[:, d, None] - x[None, :, d]
            grad[d] = 0.5 * scale * lam[d] * float(np.sum(w * diff * diff))
    grad[dim] = 0.5 * scale * float(np.sum(m * f))
    grad[dim + 1] = 0.5 * (noise - MIN_NOISE) * float(np.trace(m))
    return value, grad


def fit_theta(
    kernel: Kernel,
    x: np.ndarray,
    y: np.ndarray,
    starts: Sequence[np.ndarray],
    *,
    maxiter: int = 200,
    tie: np.ndarray | None = None,
    prior_mean: float | None = None,
    lam_scale: np.ndarray | float = 1.0,
) -> np.ndarray:
    """MAP hyperparameters: L-BFGS-B from each start, the best log posterior wins.

    ``tie`` (D,) maps each input column to a length-scale index (``0..k-1``). Several columns
    sharing an index are a categorical parameter's one-hot block: each gets half the shared
    inverse squared length scale ``lam``, so two different categories (two columns apart by 1)
    add exactly ``lam`` to the scaled distance: the overlap/Hamming kernel with one length scale
    per parameter. The prior applies to the ``k`` shared scales; the starts are packed with ``k``
    length scales (``default_theta(k)``). The result is unpacked to one per column (D + 2).
    ``prior_mean``: the constant mean is fixed there (the posterior's ``prior_mean``), else profiled out.
    ``lam_scale``: per shared length scale (``k``), as :func:`log_prior` takes it.
    """
    n, dim = x.shape
    tie = np.arange(dim) if tie is None else np.asarray(tie, dtype=int)
    k = int(tie.max()) + 1 if dim else 0
    shared = np.bincount(tie, minlength=k)[tie] > 1
    offset = np.where(shared, -math.log(2.0), 0.0)  # log of the half share of a one-hot column
    diffs = pairwise_sq_diff(x) if n * n * dim <= _DIFFS_LIMIT else None

    def expand(z: np.ndarray) -> np.ndarray:
        return np.concatenate([z[:k][tie] + offset, z[k:]])

    def objective(z: np.ndarray) -> tuple[float, np.ndarray]:
        lml, g1 = log_marginal_likelihood(expand(z), kernel, x, y, diffs, prior_mean)
        lp, g2 = log_prior(z, lam_scale)
        g = np.concatenate([np.bincount(tie, weights=g1[:dim], minlength=k), g1[dim:]])
        return -(lml + lp), -(g + g2)

    bounds = theta_bounds(k)
    best_z, best_value = np.asarray(starts[0], dtype=float), math.inf
    for start in starts:
        start = np.clip(np.asarray(start, dtype=float), [b[0] for b in bounds], [b[1] for b in bounds])
        res = scipy.optimize.minimize(
            objective, start, jac=True, method="L-BFGS-B", bounds=bounds, options={"maxiter": maxiter}
        )
        if np.isfinite(res.fun) and res.fun < best_value:
            best_z, best_value = np.asarray(res.x, dtype=float), float(res.fun)
    return expand(best_z)


@dataclass
class Posterior:
    """The GP conditioned on ``(x, y)`` with fixed hyperparameters ``theta``.

    Example:
        >>> x = np.array([[0.1], [0.5], [0.9]]); y = np.array([1.0, -1.0, 0.5])
        >>> gp = Posterior.build(Kernel.matern(), default_theta(1), x, y)
        >>> mean, var = gp.predict(x)
        >>> bool(np.allclose(mean, y, atol=0.1))
        True
    """

    kernel: Kernel
    theta: np.ndarray
    x: np.ndarray
    chol: tuple[np.ndarray, bool]
    alpha: np.ndarray
    mean_const: float
    #: the constant mean is fixed (the caller's ``prior_mean``) instead of estimated from the data
    fixed_mean: bool = False

    @classmethod
    def build(
        cls, kernel: Kernel, theta: np.ndarray, x: np.ndarray, y: np.ndarray, prior_mean: float | None = None
    ) -> Posterior:
        """The posterior on ``(x, y)``; the constant mean is its generalized-least-squares estimate,
        or ``prior_mean`` when given (e.g. 0 for standardized targets)."""
        n = x.shape[0]
        lam, scale, noise = unpack(theta)
        cov = scale * kernel.value(self_sq_dist(x, lam))
        cov[np.diag_indices(n)] += noise + _JITTER
        chol = scipy.linalg.cho_factor(cov, lower=True, check_finite=False)
        ones = np.ones(n)
        k_inv_1 = scipy.linalg.cho_solve(chol, ones, check_finite=False)
        k_inv_y = scipy.linalg.cho_solve(chol, y, check_finite=False)
        mean = float(ones @ k_inv_y / (ones @ k_inv_1)) if prior_mean is None else float(prior_mean)
        return cls(kernel, theta, x, chol, k_inv_y - mean * k_inv_1, mean, prior_mean is not None)

    def condition(self, point: np.ndarray, y: np.ndarray, noise: float = MIN_NOISE) -> Posterior:
        """The posterior with one more observation at ``point`` (D,), by a rank-one Cholesky update.

        ``y`` holds the targets of ``self.x`` plus the new one (n + 1,); ``noise`` is the new
        point's own noise variance (the hyperparameters stay fixed). O(n^2) instead of O(n^3).
        """
        lam, scale, _ = unpack(self.theta)
        k = scale * self.kernel.value(scaled_sq_dist(point[None, :], self.x, lam))[0]
        lower = self.chol[0]
        n = lower.shape[0]
        row = scipy.linalg.solve_triangular(lower, k, lower=True, check_finite=False)
        grown = np.zeros((n + 1, n + 1))
        grown[:n, :n] = lower
        grown[n, :n] = row
        grown[n, n] = math.sqrt(max(scale + noise + _JITTER - float(row @ row), 1e-12))
        chol = (grown, True)
        ones = np.ones(n + 1)
        k_inv_1 = scipy.linalg.cho_solve(chol, ones, check_finite=False)
        k_inv_y = scipy.linalg.cho_solve(chol, y, check_finite=False)
        mean = self.mean_const if self.fixed_mean else float(ones @ k_inv_y / (ones @ k_inv_1))
        return Posterior(self.kernel, self.theta, np.vstack([self.x, point]), chol, k_inv_y - mean * k_inv_1, mean,
                         self.fixed_mean)

    def predict(self, xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Latent mean and variance at ``xs`` (m, D): two arrays of shape (m,)."""
        lam, scale, _ = unpack(self.theta)
        k_star = scale * self.kernel.value(scaled_sq_dist(xs, self.x, lam))
        mean = self.mean_const + k_star @ self.alpha
        v = scipy.linalg.solve_triangular(self.chol[0], k_star.T, lower=True, check_finite=False)
        var = scale - np.einsum("ij,ij->j", v, v)
        return mean, np.maximum(var, 1e-12)

    def predict_with_grad(self, xs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Mean (m,), variance (m,) and their gradients in ``xs``, each (m, D)."""
        lam, scale, _ = unpack(self.theta)
        r2 = scaled_sq_dist(xs, self.x, lam)
        f, df = self.kernel.value_and_grad(r2)
        k_star = scale * f
        mean = self.mean_const + k_star @ self.alpha
        w = scipy.linalg.cho_solve(self.chol, k_star.T, check_finite=False)  # (n, m)
        var = scale - np.einsum("ij,ji->i", k_star, w)
        # d k_star[i, j] / d xs[i] = scale * df[i, j] * 2 * lam * (xs[i] - x[j])
        coef = 2.0 * scale * df
        diff_term_mean = coef * self.alpha[None, :]
        grad_mean = lam * (diff_term_mean.sum(1)[:, None] * xs - diff_term_mean @ self.x)
        diff_term_var = coef * w.T
        grad_var = -2.0 * lam * (diff_term_var.sum(1)[:, None] * xs - diff_term_var @ self.x)
        clipped = var < 1e-12
        grad_var[clipped] = 0.0
        return mean, np.maximum(var, 1e-12), grad_mean, grad_var


__all__ = ["MIN_NOISE", "Posterior", "default_theta", "fit_theta", "log_marginal_likelihood", "log_prior", "unpack"]
