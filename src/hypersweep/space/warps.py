"""Warps: the monotone maps between a numeric value and its unit position x in [0, 1].

* linear (uniform, quniform): x = (v - low) / (high - low)
* log (loguniform, qloguniform): x = (ln v - ln low) / (ln high - ln low)
* normal (normal, qnormal): z = (v - loc) / scale, x = 1 / (1 + exp(-1.702 z))
* lognormal (lognormal, qlognormal): the same with z = (ln v - loc) / scale

The normal-family position is the logistic approximation of the normal CDF (within 0.01
of it everywhere, so uniform x gives roughly normal values) whose tails, unlike the exact
CDF's, keep the round trip exact in float arithmetic out to the truncation at 8 scales.
Each warp also samples raw values from its distribution, clipped to ``[lo, hi]``.
"""
from __future__ import annotations

import math

import numpy as np
from scipy.special import expit, logit

#: Normal-family values are truncated at loc +- SIGMAS * scale (mass outside: ~1e-15).
SIGMAS = 8.0
#: Slope of the logistic approximation of the standard normal CDF.
LOGISTIC_SLOPE = 1.702


class Warp:
    """A monotone increasing map between values in ``[lo, hi]`` and positions in [0, 1]."""

    lo: float
    hi: float
    log: bool = False

    def to_unit(self, v: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def from_unit(self, x: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError


class LinearWarp(Warp):
    """Uniform on ``[lo, hi]``."""

    def __init__(self, lo: float, hi: float) -> None:
        self.lo, self.hi = float(lo), float(hi)
        self._span = self.hi - self.lo

    def to_unit(self, v: np.ndarray) -> np.ndarray:
        return np.clip((np.asarray(v, dtype=float) - self.lo) / self._span, 0.0, 1.0)

    def from_unit(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        v = np.where(x >= 1.0, self.hi, self.lo + x * self._span)
        return np.clip(v, self.lo, self.hi)

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return np.clip(rng.uniform(self.lo, self.hi, size=size), self.lo, self.hi)


class LogWarp(Warp):
    """Log-uniform on ``[lo, hi]`` (0 < lo < hi): uniform in ``ln v``."""

    log = True

    def __init__(self, lo: float, hi: float) -> None:
        self.lo, self.hi = float(lo), float(hi)
        self._a, self._b = math.log(self.lo), math.log(self.hi)

    def to_unit(self, v: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            u = (np.log(np.asarray(v, dtype=float)) - self._a) / (self._b - self._a)
        return np.clip(np.nan_to_num(u, nan=0.0, neginf=0.0, posinf=1.0), 0.0, 1.0)

    def from_unit(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        v = np.exp(self._a + x * (self._b - self._a))
        v = np.where(x <= 0.0, self.lo, np.where(x >= 1.0, self.hi, v))
        return np.clip(v, self.lo, self.hi)

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return np.clip(np.exp(rng.uniform(self._a, self._b, size=size)), self.lo, self.hi)


class NormalWarp(Warp):
    """Normal(loc, scale) truncated at ``loc +- 8 scale``; position via the logistic CDF."""

    def __init__(self, loc: float, scale: float) -> None:
        self.loc, self.scale = float(loc), float(scale)
        self.lo = self.loc + self.scale * -SIGMAS
        self.hi = self.loc + self.scale * SIGMAS

    def _z(self, v: np.ndarray) -> np.ndarray:
        return (np.asarray(v, dtype=float) - self.loc) / self.scale

    def _v(self, z: np.ndarray) -> np.ndarray:
        return np.clip(self.loc + self.scale * z, self.lo, self.hi)

    def to_unit(self, v: np.ndarray) -> np.ndarray:
        return np.clip(expit(LOGISTIC_SLOPE * self._z(v)), 0.0, 1.0)

    def from_unit(self, x: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore"):
            z = logit(np.clip(np.asarray(x, dtype=float), 0.0, 1.0)) / LOGISTIC_SLOPE
        return self._v(np.clip(z, -SIGMAS, SIGMAS))

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return self._v(np.clip(rng.standard_normal(size), -SIGMAS, SIGMAS))


class LogNormalWarp(NormalWarp):
    """exp of Normal(loc, scale), truncated at ``exp(loc +- 8 scale)``."""

    log = True

    def __init__(self, loc: float, scale: float) -> None:
        super().__init__(loc, scale)
        self.lo = math.exp(self.loc + self.scale * -SIGMAS)
        self.hi = math.exp(self.loc + self.scale * SIGMAS)

    def _z(self, v: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore"):
            return (np.log(np.asarray(v, dtype=float)) - self.loc) / self.scale

    def _v(self, z: np.ndarray) -> np.ndarray:
        return np.clip(np.exp(self.loc + self.scale * z), self.lo, self.hi)
