"""The Parzen estimator: a weighted mixture of one kernel per observation plus a prior kernel.

Every kernel is a product over parameters (the multivariate TPE of Falkner et al. 2018 and
Watanabe 2023; with ``multivariate=False`` each parameter is its own mixture, as in the
original TPE). Over TPE's coordinates (:mod:`hypersweep.algorithms.tpe.layout`):

* continuous: a Gaussian truncated to [0, 1], centred on the observation;
* binned (ordered levels): the mass that Gaussian puts on the level's bin;
* categorical: Optuna's kernel, ``(prior_weight / n_kernels) * C * p_c + [c == c_i]``
  normalised (an Aitchison-Aitken-like kernel whose smoothing shrinks as data accumulates;
  ``p`` is the prior: uniform, or the ``pvalues`` probabilities).

The prior kernel is N(0.5, 1) truncated to [0, 1] (nearly uniform) and ``p`` for categories,
with mixture weight ``prior_weight`` against 1 per observation.
Bandwidths (unit space): ``gap``, per observation and parameter the larger gap to the
neighbouring observations (hyperopt / Optuna; always used when univariate); ``fixed``,
``bandwidth_factor * n ** (-1 / (d + 4))`` for every kernel (Optuna 3's multivariate TPE).
Magic clip keeps every bandwidth >= ``1 / min(100, 1 + n_kernels)``; the prior's is 1.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy.special import ndtr, ndtri

from hypersweep.algorithms.tpe.layout import Layout, Points

_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)
_TINY = 1e-300


class ParzenEstimator:
    """Kernel density over TPE's coordinates, fitted to observations ``obs`` (``m`` points).

    Args:
        obs: the observations, as :class:`Points`.
        layout: the space's layout.
        options: TPE's parsed options (bandwidth, prior and kernel settings).

    Example (one continuous parameter, one observation at 0.5):
        >>> import hypersweep.space as sp
        >>> layout = Layout(sp.Space({"x": sp.uniform(0, 1)}))
        >>> from hypersweep.algorithms.tpe.options import OPTIONS
        >>> est = ParzenEstimator(layout.encode(np.array([[0.5]])), layout, OPTIONS.parse())
        >>> float(np.exp(est.log_pdf(layout.encode(np.array([[0.5]]))))[0]) > 1.0
        True
    """

    def __init__(self, obs: Points, layout: Layout, options: Mapping[str, Any]) -> None:
        self.layout = layout
        self.multivariate = options["multivariate"]
        m = len(obs)
        self.m = m
        weights = np.ones(m + 1)
        weights[m] = options["prior_weight"]
        self.log_w = np.log(weights / weights.sum())
        self.w = weights / weights.sum()
        n_kernels = m + 1
        # numeric parameters (continuous positions and binned level positions) share one treatment
        mus_binned = np.stack(
            [layout.positions[j][obs.binned[:, j]] for j in range(layout.n_binned)], axis=1
        ) if layout.n_binned else np.zeros((m, 0))
        mus = np.concatenate([obs.cont, mus_binned], axis=1)
        sigma = self._bandwidths(mus, options)
        if options["consider_magic_clip"]:
            low = 1.0 / min(100.0, 1.0 + n_kernels)
        else:
            low = 1e-6
        sigma = np.clip(sigma, low, 1.0)
        n_num = mus.shape[1]
        self.mu = np.concatenate([mus, np.full((1, n_num), 0.5)], axis=0)  # (m + 1, n_num)
        self.sigma = np.concatenate([sigma, np.ones((1, n_num))], axis=0)
        # log of the truncation normaliser Phi((1 - mu) / s) - Phi(-mu / s) per kernel and parameter
        self.log_z = np.log(np.maximum(ndtr((1.0 - self.mu) / self.sigma) - ndtr(-self.mu / self.sigma), _TINY))
        self.n_cont = layout.n_cont
        # categorical kernels: one (C + 1, C) table per parameter; row C is the prior
        self.cat_obs = obs.cat
        self._binned_obs = obs.binned
        self.cat_tables: list[np.ndarray] = []
        for j, prior in enumerate(layout.cat_prior):
            c = prior.size
            base = options["prior_weight"] / n_kernels * c * prior
            table = np.tile(base, (c + 1, 1))
            table[np.arange(c), np.arange(c)] += 1.0
            table[c] = prior
            table /= table.sum(axis=1, keepdims=True)
            self.cat_tables.append(table)

    # -- bandwidths -----------------------------------------------------------------------------
    def _bandwidths(self, mus: np.ndarray, options: Mapping[str, Any]) -> np.ndarray:
        m, n_num = mus.shape
        if (self.multivariate and options["bandwidth"] == "fixed") or m == 0:
            scale = options["bandwidth_factor"] * max(m, 1) ** (-1.0 / (self.layout.n_params + 4))
            return np.full((m, n_num), scale)
        order = np.argsort(mus, axis=0, kind="stable")
        srt = np.take_along_axis(mus, order, axis=0)
        padded = np.concatenate([np.zeros((1, n_num)), srt, np.ones((1, n_num))], axis=0)
        gaps = np.diff(padded, axis=0)  # (m + 1, n_num)
        left, right = gaps[:-1], gaps[1:]
        sig = np.maximum(left, right)
        if not options["consider_endpoints"] and m >= 2:
            sig[0] = right[0]
            sig[-1] = left[-1]
        out = np.empty_like(sig)
        np.put_along_axis(out, order, sig, axis=0)
        return out

    # -- density ----------------------------------------------------------------------------------
    def log_kernels(self, x: Points) -> np.ndarray:
        """Log kernel values per kernel, point and parameter, shape ``(m + 1, n, n_params)``."""
        layout = self.layout
        n = len(x)
        out = np.empty((self.m + 1, n, layout.n_params))
        k = 0
        if self.n_cont:
            mu, sig, lz = self.mu[:, None, : self.n_cont], self.sigma[:, None, : self.n_cont], self.log_z[:, None, : self.n_cont]
            z = (x.cont[None, :, :] - mu) / sig
            out[:, :, : self.n_cont] = -0.5 * z * z - np.log(sig) - _LOG_SQRT_2PI - lz
            k = self.n_cont
        for j in range(layout.n_binned):
            col = self.n_cont + j
            edges = layout.edges[j]
            lev = x.binned[:, j]
            mu, sig = self.mu[:, col : col + 1], self.sigma[:, col : col + 1]
            hi = ndtr((edges[lev + 1][None, :] - mu) / sig)
            lo = ndtr((edges[lev][None, :] - mu) / sig)
            out[:, :, k] = np.log(np.maximum(hi - lo, _TINY)) - self.log_z[:, col : col + 1]
            k += 1
        for j, table in enumerate(self.cat_tables):
            rows = np.append(self.cat_obs[:, j], table.shape[0] - 1)
            out[:, :, k] = np.log(np.maximum(table[rows][:, x.cat[:, j]], _TINY))
            k += 1
        return out

    def log_pdf(self, x: Points) -> np.ndarray:
        """Log density (mass for discrete parameters) at ``n`` points, shape ``(n,)``."""
        if not self.multivariate:
            logk = self.log_kernels(x)
            return _logsumexp(self.log_w[:, None, None] + logk, axis=0).sum(axis=1)
        return _logsumexp(self.log_w[:, None] + self._joint_log_kernel(x), axis=0)

    def _joint_log_kernel(self, x: Points) -> np.ndarray:
        """Sum over parameters of the log kernels, shape ``(m + 1, n)``, without the
        ``(m + 1, n, d)`` intermediate: squared distances by matrix products, binned and
        categorical parameters by table look-ups over their (few) distinct levels."""
        layout = self.layout
        nc = self.n_cont
        total = np.zeros((self.m + 1, len(x)))
        if nc:
            inv = 1.0 / self.sigma[:, :nc] ** 2
            mu = self.mu[:, :nc]
            xc = x.cont
            quad = (xc * xc) @ inv.T - 2.0 * xc @ (mu * inv).T + np.sum(mu * mu * inv, axis=1)[None, :]
            const = np.sum(np.log(self.sigma[:, :nc]) + self.log_z[:, :nc], axis=1) + nc * _LOG_SQRT_2PI
            total += -0.5 * np.maximum(quad.T, 0.0) - const[:, None]
        for j in range(layout.n_binned):
            col = nc + j
            sig = self.sigma[:, col]
            lev = x.binned[:, j]
            ulev, inv_lev = np.unique(lev, return_inverse=True)
            edges = layout.edges[j]
            # kernels differ only by (level, bandwidth): evaluate each distinct pair once
            n_lev = layout.positions[j].size
            usig, sig_id = np.unique(sig, return_inverse=True)
            rows_lev = np.append(self._binned_obs[:, j], n_lev)  # n_lev: the prior
            ukey, inv_rows = np.unique(rows_lev * usig.size + sig_id.reshape(-1), return_inverse=True)
            mu = np.append(layout.positions[j], 0.5)[ukey // usig.size][:, None]
            s = usig[ukey % usig.size][:, None]
            mass = ndtr((edges[ulev + 1][None, :] - mu) / s) - ndtr((edges[ulev][None, :] - mu) / s)
            lz = np.log(np.maximum(ndtr((1.0 - mu) / s) - ndtr(-mu / s), _TINY))
            table = np.log(np.maximum(mass, _TINY)) - lz
            total += table[inv_rows.reshape(-1)][:, inv_lev]
        for j, table in enumerate(self.cat_tables):
            rows = np.append(self.cat_obs[:, j], table.shape[0] - 1)
            total += np.log(np.maximum(table, _TINY))[rows][:, x.cat[:, j]]
        return total

    # -- sampling ---------------------------------------------------------------------------------
    def sample(self, rng: np.random.Generator, n: int) -> Points:
        """``n`` draws from the mixture."""
        layout = self.layout
        n_num = self.mu.shape[1]
        width = 1 if self.multivariate else layout.n_params
        comp = rng.choice(self.m + 1, size=(n, width), p=self.w)
        num_comp = comp if self.multivariate else comp[:, :n_num]
        cols = np.arange(n_num)[None, :]
        mu, sig = self.mu[num_comp, cols], self.sigma[num_comp, cols]
        a, b = ndtr(-mu / sig), ndtr((1.0 - mu) / sig)
        u = rng.random((n, n_num))
        x = np.clip(mu + sig * ndtri(np.clip(a + u * (b - a), 1e-16, 1 - 1e-16)), 0.0, 1.0)
        cont = layout.snap_cont(x[:, : self.n_cont])
        binned = np.empty((n, layout.n_binned), dtype=np.int64)
        for j in range(layout.n_binned):
            binned[:, j] = np.searchsorted(layout.edges[j][1:-1], x[:, self.n_cont + j], side="right")
        cat = np.empty((n, layout.n_cat), dtype=np.int64)
        u_cat = rng.random((n, layout.n_cat))
        for j, table in enumerate(self.cat_tables):
            c = comp[:, 0] if self.multivariate else comp[:, n_num + j]
            rows = np.where(c < self.m, self.cat_obs[np.minimum(c, self.m - 1), j] if self.m else 0, table.shape[0] - 1)
            cdf = np.cumsum(table[rows], axis=1)
            cat[:, j] = np.minimum((cdf < u_cat[:, j : j + 1] * cdf[:, -1:]).sum(axis=1), table.shape[1] - 1)
        return Points(cont, binned, cat)


def _logsumexp(a: np.ndarray, axis: int) -> np.ndarray:
    peak = np.max(a, axis=axis, keepdims=True)
    peak = np.where(np.isfinite(peak), peak, 0.0)
    return np.log(np.sum(np.exp(a - peak), axis=axis)) + np.squeeze(peak, axis=axis)


__all__ = ["ParzenEstimator"]
