"""Synthetic test functions: Branin, Hartmann-6, Ackley-5, Rosenbrock-4, and the cheap Sphere-10.

Each function is vectorized over points of shape ``(n, d)``. References for regret come from a
fixed uniform sample of :data:`REFERENCE_SAMPLES` points drawn in the box with
``numpy.random.default_rng(REFERENCE_SEED)`` (so they are the same on every machine).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from benchmarks.problems.base import Problem

if TYPE_CHECKING:  # pragma: no cover - typing only
    from hypersweep.space import Space

REFERENCE_SAMPLES = 100_000
REFERENCE_SEED = 0


def branin(x: np.ndarray) -> np.ndarray:
    """Branin-Hoo on ``x1 in [-5, 10], x2 in [0, 15]``; minimum 0.397887 at (pi, 2.275) and two more."""
    x = np.atleast_2d(x)
    x1, x2 = x[:, 0], x[:, 1]
    b, c, t = 5.1 / (4 * np.pi**2), 5 / np.pi, 1 / (8 * np.pi)
    return (x2 - b * x1**2 + c * x1 - 6) ** 2 + 10 * (1 - t) * np.cos(x1) + 10


_H6_ALPHA = np.array([1.0, 1.2, 3.0, 3.2])
_H6_A = np.array(
    [
        [10, 3, 17, 3.5, 1.7, 8],
        [0.05, 10, 17, 0.1, 8, 14],
        [3, 3.5, 1.7, 10, 17, 8],
        [17, 8, 0.05, 10, 0.1, 14],
    ]
)
_H6_P = 1e-4 * np.array(
    [
        [1312, 1696, 5569, 124, 8283, 5886],
        [2329, 4135, 8307, 3736, 1004, 9991],
        [2348, 1451, 3522, 2883, 3047, 6650],
        [4047, 8828, 8732, 5743, 1091, 381],
    ]
)
HARTMANN6_ARGMIN = (0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573)


def hartmann6(x: np.ndarray) -> np.ndarray:
    """Hartmann-6 on ``[0, 1]^6``; minimum -3.32237 at :data:`HARTMANN6_ARGMIN`."""
    x = np.atleast_2d(x)
    inner = np.sum(_H6_A[None] * (x[:, None, :] - _H6_P[None]) ** 2, axis=2)  # (n, 4)
    return -np.sum(_H6_ALPHA[None] * np.exp(-inner), axis=1)


def ackley(x: np.ndarray) -> np.ndarray:
    """Ackley (a=20, b=0.2, c=2 pi) in any dimension; minimum 0 at the origin."""
    x = np.atleast_2d(x)
    d = x.shape[1]
    s1 = np.sqrt(np.sum(x**2, axis=1) / d)
    s2 = np.sum(np.cos(2 * np.pi * x), axis=1) / d
    return -20 * np.exp(-0.2 * s1) - np.exp(s2) + 20 + np.e


def rosenbrock(x: np.ndarray) -> np.ndarray:
    """Rosenbrock in any dimension; minimum 0 at (1, ..., 1)."""
    x = np.atleast_2d(x)
    return np.sum(100 * (x[:, 1:] - x[:, :-1] ** 2) ** 2 + (1 - x[:, :-1]) ** 2, axis=1)


def sphere(x: np.ndarray) -> np.ndarray:
    """Shifted sphere ``sum((x - 1)^2)``; minimum 0 at (1, ..., 1). Nearly free to evaluate."""
    x = np.atleast_2d(x)
    return np.sum((x - 1.0) ** 2, axis=1)


class SyntheticProblem(Problem):
    """A box-bounded function of ``d`` continuous parameters ``x0..x{d-1}``, minimized."""

    family = "synthetic"

    def __init__(
        self,
        name: str,
        function: Callable[[np.ndarray], np.ndarray],
        bounds: Sequence[tuple[float, float]],
        optimum: float,
        argmin: Sequence[float],
        family: str = "synthetic",
    ) -> None:
        self.name = name
        self.family = family
        self.function = function
        self.bounds = np.asarray(bounds, dtype=float)  # (d, 2)
        self._optimum = float(optimum)
        self.argmin = tuple(float(v) for v in argmin)

    @property
    def names(self) -> list[str]:
        """Parameter names, ``x0..x{d-1}``."""
        return [f"x{i}" for i in range(len(self.bounds))]

    def build_space(self) -> Space:
        from hypersweep.space import Space, uniform

        return Space({n: uniform(float(lo), float(hi)) for n, (lo, hi) in zip(self.names, self.bounds, strict=True)})

    def to_array(self, params: Mapping[str, Any]) -> np.ndarray:
        """Params dict -> point of shape ``(d,)``."""
        return np.array([float(params[n]) for n in self.names])

    def evaluate(self, params: Mapping[str, Any]) -> float:
        return float(self.function(self.to_array(params)[None])[0])

    @property
    def optimum(self) -> float:
        return self._optimum

    @cached_property
    def _reference_sample(self) -> np.ndarray:
        rng = np.random.default_rng(REFERENCE_SEED)
        lo, hi = self.bounds[:, 0], self.bounds[:, 1]
        x = lo + (hi - lo) * rng.random((REFERENCE_SAMPLES, len(self.bounds)))
        return self.function(x)

    def reference_values(self) -> np.ndarray:
        return self._reference_sample


def make_branin() -> SyntheticProblem:
    return SyntheticProblem("branin", branin, [(-5, 10), (0, 15)], 0.397887, (np.pi, 2.275))


def make_hartmann6() -> SyntheticProblem:
    return SyntheticProblem("hartmann6", hartmann6, [(0, 1)] * 6, -3.32237, HARTMANN6_ARGMIN)


def make_ackley5() -> SyntheticProblem:
    return SyntheticProblem("ackley5", ackley, [(-32.768, 32.768)] * 5, 0.0, (0.0,) * 5)


def make_rosenbrock4() -> SyntheticProblem:
    return SyntheticProblem("rosenbrock4", rosenbrock, [(-5, 10)] * 4, 0.0, (1.0,) * 4)


SYNTHETIC: dict[str, Callable[[], SyntheticProblem]] = {
    "branin": make_branin,
    "hartmann6": make_hartmann6,
    "ackley5": make_ackley5,
    "rosenbrock4": make_rosenbrock4,
}


def make_sphere10() -> SyntheticProblem:
    """The cheap 10-dimensional objective of overhead runs (family ``cheap``, not in ``all``)."""
    return SyntheticProblem("sphere10", sphere, [(-5, 5)] * 10, 0.0, (1.0,) * 10, family="cheap")


CHEAP: dict[str, Callable[[], SyntheticProblem]] = {"sphere10": make_sphere10}
