"""The kriging believer every GP-based algorithm shares (``bo``, ``bohb_gp``).

Pending trials and the earlier picks of a batch are "believed": the posterior is conditioned on
them as exact values, with the hyperparameters fixed, by one rank-one Cholesky update each
(:meth:`Posterior.condition`, O(n^2)) rather than a refit.
"""
from __future__ import annotations

import math

import numpy as np

from hypersweep.algorithms.gp.kernels import Kernel
from hypersweep.algorithms.gp.model import MIN_NOISE, Posterior
from hypersweep.records import Direction


class Believer:
    """The posterior on the observations ``(x, y)`` plus the believed points.

    Attributes:
        x_obs, y_obs: the observations (targets: lower is better).
        y: targets of the observed and the believed points, in the posterior's order.
        observed_best: the best observed target.
        best: the incumbent of EI / PI: the best of ``observed_best`` and the believed means.
        posterior: the GP conditioned on all of them.
        prior_mean: None: the GP's constant mean is estimated from the data; a number: fixed there.
        loss_scale: ``(mean, std)`` of the losses when the targets are only standardized (set by
            the caller), so :meth:`predicted` can map back to the metric; None otherwise.
    """

    def __init__(
        self, kernel: Kernel, theta: np.ndarray, x: np.ndarray, y: np.ndarray, prior_mean: float | None = None
    ) -> None:
        self.x_obs, self.y_obs = x, y
        self.y = y
        self.observed_best = float(np.min(y))
        self.best = self.observed_best
        self.posterior = Posterior.build(kernel, theta, x, y, prior_mean)
        self.loss_scale: tuple[float, float] | None = None

    def predicted(self, point: np.ndarray, direction: Direction) -> dict[str, float] | None:
        """Posterior mean and std at ``point`` in the metric's units; None when the targets were
        power-transformed (no exact way back) or the numbers are not finite."""
        if self.loss_scale is None:
            return None
        mean, var = self.posterior.predict(point[None, :])
        loss_mean, loss_std = self.loss_scale
        scale = loss_std if loss_std > 0 and math.isfinite(loss_std) else 1.0
        value = direction.sign() * (loss_mean + scale * float(mean[0]))
        std = scale * math.sqrt(max(float(var[0]), 0.0))
        return {"mean": value, "std": std} if math.isfinite(value) and math.isfinite(std) else None

    def believe(self, point: np.ndarray) -> None:
        """Condition on ``point`` as an exact value: the posterior mean there, capped at the best.

        The incumbent of EI / PI counts the uncapped mean, so a pick next to a believed point
        must beat what that point is expected to reach (with the observed best as incumbent
        and a noisy believer, the picks of a batch bunched up next to each other). The value the model
        is conditioned on is never below the best observation: a believed point does not pose
        as a new optimum that pulls the next picks into its basin (docs/design_notes.md).
        """
        mean = float(self.posterior.predict(point[None, :])[0][0])
        self.y = np.append(self.y, max(mean, self.observed_best))
        self.best = min(self.best, mean)
        self.posterior = self.posterior.condition(point, self.y, MIN_NOISE)

    def incumbents(self) -> np.ndarray:
        """The observed inputs, best target first."""
        return self.x_obs[np.argsort(self.y_obs, kind="stable")]


__all__ = ["Believer"]
