"""The current task's Gaussian process for the generative optimizer (numpy/scipy; no torch).

After ``gp_after`` completed trials the generative optimizer no longer ranks candidates by the
network's improvement score alone: a GP fitted on the current sweep (hypersweep's ``bo``
model: :mod:`hypersweep.algorithms.gp`) scores them by log expected improvement, and the
network's score enters as a prior, ``log EI(x) + beta_n * log sigmoid(logit(x))`` with
``beta_n = prior_weight * gp_after / n`` decaying over trials (piBO, Hvarfner et al. 2022:
``EI(x) * prior(x) ** beta_n``). Candidates are the network's proposals plus the points
``bo``'s acquisition search finds (Sobol draws, perturbations of the best proposals and
incumbents, L-BFGS-B), so late in a sweep the choice is ``bo``'s with a fading prior.

Everything is a function of the history and the generator passed in: a fresh instance told
the same history fits the same hyperparameters and picks the same point.
"""
from __future__ import annotations


import numpy as np

from hypersweep.algorithms.gp.acquisition import Acquisition
from hypersweep.algorithms.gp.algorithm import standardize
from hypersweep.algorithms.gp.geometry import Geometry
from hypersweep.algorithms.gp.kernels import Kernel
from hypersweep.algorithms.gp.model import (
    Posterior,
    default_theta,
    fit_theta,
    theta_bounds,
)
from hypersweep.algorithms.gp.optimize import SearchBudget, maximize

#: hyperparameter restarts (besides the default start) of every fit
_RESTARTS = 2
#: the acquisition search once the generative proposals are scored
_SEARCH = SearchBudget(n_raw=1024, n_incumbents=8, n_perturb=60, n_starts=6)


def prior_beta(prior_weight: float, gp_after: int, n: int) -> float:
    """The piBO exponent of the network's prior after ``n`` observations (decays as ``1/n``)."""
    return float(prior_weight) * gp_after / max(n, 1)


def log_sigmoid(logits: np.ndarray) -> np.ndarray:
    """``log(1 / (1 + exp(-logits)))``, stable for large negative logits."""
    return -np.logaddexp(0.0, -np.asarray(logits, dtype=float))


class TaskGP:
    """A GP on the unit points ``X`` ``(n, d)`` with responses ``y`` ``(n,)`` to *maximize*.

    Args:
        X, y: the completed trials of the current sweep.
        rng: draws the hyperparameter restarts (pass ``Algorithm.rng(...)`` for determinism).

    Example:
        >>> X = np.random.default_rng(0).random((8, 2)); y = -np.sum((X - 0.3) ** 2, axis=1)
        >>> gp = TaskGP(X, y, np.random.default_rng(0))
        >>> int(gp.log_ei(np.array([[0.3, 0.3], [0.95, 0.95]])).argmax())
        0
    """

    def __init__(self, X: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> None:
        self.kernel = Kernel.matern(2.5)
        self.x_obs = np.asarray(X, dtype=float)
        self.loss = standardize(-np.asarray(y, dtype=float))
        dim = self.x_obs.shape[1]
        start = default_theta(dim)
        lows, highs = np.array(theta_bounds(dim)).T
        starts = [start] + [np.clip(start + rng.normal(0.0, 1.5, size=start.shape), lows, highs)
                            for _ in range(_RESTARTS)]
        self.theta = fit_theta(self.kernel, self.x_obs, self.loss, starts)
        self.best = float(np.min(self.loss))
        self._x, self._loss = self.x_obs, self.loss
        self.posterior = Posterior.build(self.kernel, self.theta, self._x, self._loss)

    def believe(self, point: np.ndarray) -> None:
        """Condition on ``point`` at its posterior mean (pending trials, earlier picks of a batch)."""
        mean, _ = self.posterior.predict(point[None, :])
        self._x = np.vstack([self._x, point])
        self._loss = np.append(self._loss, mean[0])
        self.posterior = Posterior.build(self.kernel, self.theta, self._x, self._loss)

    def log_ei(self, xs: np.ndarray) -> np.ndarray:
        """Log expected improvement over the best observed loss at unit points ``(m, d)``."""
        mean, var = self.posterior.predict(xs)
        return Acquisition("ei", best=self.best).score(mean, np.sqrt(var))

    def search(self, geometry: Geometry, starts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """``bo``'s acquisition search (log EI), perturbing ``starts`` first; points ``(k, d)``."""
        acq = Acquisition("ei", best=self.best)

        def score_and_grad(xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            mean, var, g_mean, g_var = self.posterior.predict_with_grad(xs)
            std = np.sqrt(var)
            value, d_mean, d_std = acq.score_and_grads(mean, std)
            return value, d_mean[:, None] * g_mean + (d_std / (2.0 * std))[:, None] * g_var

        incumbents = np.vstack([starts, self.x_obs[np.argsort(self.loss, kind="stable")]])
        points, _ = maximize(geometry, self.log_ei, score_and_grad, incumbents, rng, _SEARCH)
        return points


def combined(log_ei: np.ndarray, logits: np.ndarray, beta: float) -> np.ndarray:
    """``log EI + beta * log prior``: the piBO score of candidates (larger is better)."""
    return log_ei + beta * log_sigmoid(logits)


__all__ = ["TaskGP", "combined", "log_sigmoid", "prior_beta", "standardize"]
