"""Learning-curve extrapolation for ``freeze_thaw``: the final value a partial curve will reach.

For each budget level ``k`` below the top, a Bayesian linear regression (ridge prior, noise from the
residuals) maps curve features at level ``k`` to the value at the top budget, learnt from the
configurations whose curves reached the top: features are the value at ``k`` and the change since
level ``k - 1`` (the curve's recent slope), so a curve that is still falling fast is predicted to
end lower than a flat one at the same value. Every configuration trained to the top budget with
its learning curve reported trains every level at once.

The prediction of a paused configuration is a normal ``(mean, std)`` whose variance adds the
residual variance (inflated for few points) and the parameter uncertainty, so a level learnt from a
handful of curves stops nothing it is not sure of.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

#: curves (configurations with values at the level and at the top) before a level has a model
MIN_CURVES = 5
_RIDGE = 1e-3


@dataclass(frozen=True)
class LevelModel:
    """The regression of one level: ``top ~ features(curve)``."""

    level: int
    weights: np.ndarray
    cov: np.ndarray  # (F^T F + ridge)^-1
    noise_var: float

    def predict(self, curve: Mapping[int, float]) -> tuple[float, float]:
        """Mean and std of the top-budget value of a curve observed up to this level."""
        f = features(curve, self.level)
        mean = float(f @ self.weights)
        var = self.noise_var * (1.0 + float(f @ self.cov @ f))
        return mean, math.sqrt(max(var, 1e-18))


def features(curve: Mapping[int, float], level: int) -> np.ndarray:
    """``[1, value at level, value at level - value at level - 1]`` (slope 0 without the level below)."""
    value = curve[level]
    below = curve.get(level - 1)
    return np.array([1.0, value, 0.0 if below is None else value - below])


def fit_level(curves: Sequence[Mapping[int, float]], level: int, top: int) -> LevelModel | None:
    """The model of ``level`` from complete ``curves`` (level -> value), or None with too few."""
    rows = [c for c in curves if level in c and top in c]
    if len(rows) < MIN_CURVES:
        return None
    f = np.array([features(c, level) for c in rows])
    y = np.array([c[top] for c in rows])
    scale = max(float(np.std(y)), 1e-12)
    gram = f.T @ f + _RIDGE * np.eye(f.shape[1])
    cov = np.linalg.inv(gram)
    weights = cov @ f.T @ y
    resid = y - f @ weights
    dof = max(1, len(rows) - f.shape[1])
    # a floor of 1% of the spread of final values: a level never claims certainty
    noise_var = max(float(resid @ resid) / dof, (0.01 * scale) ** 2)
    return LevelModel(level, weights, cov, noise_var)


def fit_levels(curves: Sequence[Mapping[int, float]], top: int) -> dict[int, LevelModel]:
    """A model for every level below ``top`` that has enough complete curves."""
    models = {}
    for level in range(top):
        model = fit_level(curves, level, top)
        if model is not None:
            models[level] = model
    return models


def probability_below(mean: float, std: float, threshold: float) -> float:
    """``P(value < threshold)`` for a normal ``(mean, std)``."""
    return 0.5 * math.erfc((mean - threshold) / (std * math.sqrt(2.0)))


__all__ = ["MIN_CURVES", "LevelModel", "features", "fit_level", "fit_levels", "probability_below"]
