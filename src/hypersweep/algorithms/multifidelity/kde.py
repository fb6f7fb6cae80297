"""BOHB's density model: a product-kernel KDE over a space, as HpBandSter fits it.

Coordinates (:class:`KDESpace`): one per parameter. A categorical parameter (a one-hot group of
``space.columns``) is its level index; every other one (continuous, quantized, ordinal) is its
column of the unit encoding, in [0, 1]. Kernels (:class:`ProductKDE`), as statsmodels'
``KDEMultivariate`` with ``bw="normal_reference"`` that HpBandSter uses:

* numeric: a Gaussian of bandwidth ``h = 1.06 * std * n ** (-1 / (4 + d))``;
* categorical: Aitchison-Aitken, ``1 - h`` on the observed level and ``h / (c - 1)`` on each other
  one, with ``h`` from the same rule, kept in [``min_bandwidth``, (c - 1) / c] (uniform at most).
  ``c`` is the parameter's number of levels (statsmodels counts the levels present in the data,
  which breaks when every point has the same one).

Every bandwidth is at least ``min_bandwidth``. Sampling follows HpBandSter too: pick a data point,
then per coordinate a Gaussian truncated to [0, 1] with the bandwidth widened by
``bandwidth_factor``, or (categorical) keep the level with probability ``1 - h``, else draw a level
uniformly.
"""
from __future__ import annotations

import math

import numpy as np
import scipy.stats
from scipy.special import logsumexp

from hypersweep.records import Params
from hypersweep.space import Space

_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)


class KDESpace:
    """Maps configurations to KDE coordinates ``(n, d)`` and back, for one space."""

    def __init__(self, space: Space) -> None:
        self.space = space
        self.columns: list[int | slice] = []  # per parameter: its unit column, or its one-hot slice
        levels: list[int] = []
        for name in space.names:
            group = [c for c in space.columns if c.param == name]
            if group[0].kind == "onehot":  # a conditional one gets one more level: "inactive"
                self.columns.append(space.column_slice(name))
                levels.append(len(group) + (name in space.conditions))
            else:
                self.columns.append(group[0].index)
                levels.append(0)
        #: per coordinate: its number of levels (categorical), 0 for numeric ones
        self.levels = np.array(levels, dtype=int)

    @property
    def dim(self) -> int:
        return len(self.columns)

    def encode(self, configs: list[Params]) -> np.ndarray:
        """Configurations -> coordinates, shape ``(n, d)``."""
        unit = self.space.to_unit_many(configs).reshape(len(configs), self.space.n_columns)
        out = np.empty((unit.shape[0], self.dim))
        for j, col in enumerate(self.columns):
            if isinstance(col, slice):  # an inactive one-hot group (all zeros) is its own level
                block = unit[:, col]
                out[:, j] = np.where(block.max(axis=1) > 0, np.argmax(block, axis=1), block.shape[1])
            else:
                out[:, j] = unit[:, col]
        return out

    def decode(self, x: np.ndarray) -> list[Params]:
        """Coordinates ``(n, d)`` -> configurations (the space snaps quantized values)."""
        unit = np.zeros((x.shape[0], self.space.n_columns))
        rows = np.arange(x.shape[0])
        for j, col in enumerate(self.columns):
            if isinstance(col, slice):
                level = x[:, j].astype(int)
                held = level < col.stop - col.start  # the "inactive" level leaves the group at zeros
                unit[rows[held], col.start + level[held]] = 1.0
            else:
                unit[:, col] = np.clip(x[:, j], 0.0, 1.0)
        return self.space.from_unit_many(unit)


class ProductKDE:
    """A product-kernel density fitted to ``data`` ``(n, d)`` (see the module doc).

    Example (one numeric coordinate):
        >>> kde = ProductKDE(np.array([[0.2], [0.4]]), levels=np.array([0]), min_bandwidth=1e-3)
        >>> bool(kde.log_pdf(np.array([[0.3]]))[0] > kde.log_pdf(np.array([[0.9]]))[0])
        True
    """

    def __init__(self, data: np.ndarray, *, levels: np.ndarray, min_bandwidth: float) -> None:
        n, d = data.shape
        self.data, self.levels = data, levels
        self.categorical = levels > 0
        bw = np.maximum(1.06 * np.std(data, axis=0) * n ** (-1.0 / (4 + d)), min_bandwidth)
        uniform = (levels - 1) / np.maximum(levels, 1)  # the Aitchison-Aitken h of a uniform kernel
        self.bandwidth = np.where(self.categorical, np.minimum(bw, uniform), bw)

    def log_pdf(self, x: np.ndarray) -> np.ndarray:
        """Log density at the points ``x`` ``(m, d)``, shape ``(m,)``."""
        total = np.zeros((x.shape[0], self.data.shape[0]))
        for j in range(self.data.shape[1]):
            h = self.bandwidth[j]
            if self.categorical[j]:
                other = math.log(h / (self.levels[j] - 1)) if self.levels[j] > 1 else -math.inf
                total += np.where(x[:, j, None] == self.data[None, :, j], math.log(1.0 - h), other)
            else:
                z = (x[:, j, None] - self.data[None, :, j]) / h
                total += -0.5 * z * z - _LOG_SQRT_2PI - math.log(h)
        return logsumexp(total, axis=1) - math.log(self.data.shape[0])

    def sample(self, rng: np.random.Generator, n: int, bandwidth_factor: float) -> np.ndarray:
        """``n`` draws around the data points, numeric bandwidths widened by ``bandwidth_factor``."""
        centres = self.data[rng.integers(self.data.shape[0], size=n)]
        out = np.empty_like(centres)
        for j in range(self.data.shape[1]):
            mu, h = centres[:, j], self.bandwidth[j]
            if self.categorical[j]:
                keep = rng.random(n) < 1.0 - h
                out[:, j] = np.where(keep, mu, rng.integers(self.levels[j], size=n))
            else:
                s = h * bandwidth_factor
                out[:, j] = scipy.stats.truncnorm.rvs(-mu / s, (1.0 - mu) / s, loc=mu, scale=s, random_state=rng)
        return out


__all__ = ["KDESpace", "ProductKDE"]
