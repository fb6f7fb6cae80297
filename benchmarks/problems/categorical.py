"""Categorical synthetic problems of the combinatorial-BO literature, written from their definitions.

- ``contamination``: contamination control of a food supply chain (Hu et al. 2010, as used by
  BOCS, Baptista & Poloczek 2018): 25 binary decisions (prevent contamination at stage i or not);
  cost of the prevention plus the violated probability constraints (``P(Z_i < 0.1) >= 0.95``,
  estimated on 100 simulated chains), plus an L1 penalty ``0.01 * sum(x)``.
- ``pest_control``: pest control at 25 stations with 5 choices each (0: none, 1-4: one of four
  pesticides) from COMBO (Oh et al. 2019): money paid (with volume discounts) plus the number of
  stations above the pest-fraction threshold, averaged over 100 simulated seasons; pesticides
  lose efficacy the more often they are used.
- ``ackley_cat``: Ackley on 23 coordinates: 20 categorical parameters with 5 unordered labels
  each (each label stands for one of ``-2, -1, 0, 1, 2``, in a fixed shuffled order) and 3
  continuous ones on ``[-2, 2]``; optimum 0 (every coordinate at 0). A mixed test in the spirit
  of CASMOPOLITAN's mixed Ackley (Wan et al. 2021), with 5-level categories instead of bits.

The random draws of the simulations are fixed per problem (``numpy.random.default_rng(0)``), so
every evaluation is deterministic. The optimum of the two simulations is not known in closed form:
it is the best value of a multi-start one-flip local search run once per process
(:func:`best_by_local_search`); an optimizer that beats it scores regret 0.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from benchmarks.problems.base import Problem

if TYPE_CHECKING:  # pragma: no cover - typing only
    from hypersweep.space import Space

N_STAGES = 25
N_SIMULATIONS = 100
PROBLEM_SEED = 0
#: uniform random configurations the regret references are taken from
REFERENCE_SAMPLES = 4096


def _beta1(u: np.ndarray, b: np.ndarray | float) -> np.ndarray:
    """Inverse CDF of Beta(1, b) at ``u``: ``1 - (1 - u)^(1/b)``."""
    return 1.0 - (1.0 - u) ** (1.0 / b)


class Contamination:
    """The contamination-control objective, vectorized over rows of 0/1 decisions (n, 25)."""

    def __init__(self, seed: int = PROBLEM_SEED, threshold: float = 0.1, epsilon: float = 0.05,
                 penalty: float = 0.01) -> None:
        rng = np.random.default_rng(seed)
        self.init_z = _beta1(rng.random(N_SIMULATIONS), 30.0)
        self.lambdas = _beta1(rng.random((N_STAGES, N_SIMULATIONS)), 17.0 / 3.0)
        self.gammas = _beta1(rng.random((N_STAGES, N_SIMULATIONS)), 3.0 / 7.0)
        self.threshold, self.epsilon, self.penalty = threshold, epsilon, penalty

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x = np.atleast_2d(np.asarray(x, dtype=float))
        z = np.broadcast_to(self.init_z, (x.shape[0], N_SIMULATIONS))
        total = np.zeros(x.shape[0])
        for i in range(N_STAGES):
            xi = x[:, i : i + 1]
            z = self.lambdas[i] * (1.0 - xi) * (1.0 - z) + (1.0 - self.gammas[i] * xi) * z
            satisfied = np.mean(z < self.threshold, axis=1) - (1.0 - self.epsilon)
            total += x[:, i] - satisfied
        return total + self.penalty * x.sum(axis=1)


#: pesticide settings per choice 1..4 (index 0 unused): price, max discount, Beta(1, b) start, tolerance growth
_PRICE = np.array([0.0, 1.0, 0.8, 0.7, 0.5])
_DISCOUNT = np.array([0.0, 0.2, 0.3, 0.3, 0.0])
_CONTROL_BETA = np.array([1.0, 2.0 / 7.0, 3.0 / 7.0, 3.0 / 7.0, 5.0 / 7.0])
_TOLERANCE = np.array([0.0, 1.0 / 7.0, 2.5 / 7.0, 2.0 / 7.0, 0.5 / 7.0])


class PestControl:
    """The pest-control objective, vectorized over rows of choices in 0..4 (n, 25)."""

    def __init__(self, seed: int = PROBLEM_SEED, threshold: float = 0.1) -> None:
        rng = np.random.default_rng(seed)
        self.init_frac = _beta1(rng.random(N_SIMULATIONS), 30.0)
        self.spread = _beta1(rng.random((N_STAGES, N_SIMULATIONS)), 17.0 / 3.0)
        self.control_u = rng.random((N_STAGES, N_SIMULATIONS))
        self.threshold = threshold

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x = np.atleast_2d(np.asarray(x)).astype(int)
        n = x.shape[0]
        rows = np.arange(n)
        beta = np.tile(_CONTROL_BETA, (n, 1))
        counts = np.stack([(x == c).sum(axis=1) for c in range(5)], axis=1)
        frac = np.tile(self.init_frac, (n, 1))
        paid = np.zeros(n)
        above = np.zeros(n)
        for i in range(N_STAGES):
            c = x[:, i]
            control = c > 0
            rate = _beta1(self.control_u[i][None, :], beta[rows, c][:, None])
            treated = (1.0 - rate) * frac
            spread = self.spread[i] * (1.0 - frac) + frac
            above += np.mean(frac > self.threshold, axis=1)
            paid += np.where(control, _PRICE[c] * (1.0 - _DISCOUNT[c] / N_STAGES * counts[rows, c]), 0.0)
            beta[rows, c] += np.where(control, _TOLERANCE[c] / N_STAGES, 0.0)
            frac = np.where(control[:, None], treated, spread)
        return paid + above


def best_by_local_search(function: Callable[[np.ndarray], np.ndarray], n_levels: int, dim: int,
                         *, starts: int = 32, seed: int = 1) -> float:
    """Best value of a best-improvement one-flip local search from ``starts`` random points."""
    rng = np.random.default_rng(seed)
    best = np.inf
    for _ in range(starts):
        x = rng.integers(n_levels, size=dim)
        value = float(function(x[None])[0])
        while True:
            moves = np.repeat(x[None], dim * (n_levels - 1), axis=0)
            k = 0
            for d in range(dim):
                for level in range(n_levels):
                    if level != x[d]:
                        moves[k, d] = level
                        k += 1
            values = function(moves)
            j = int(np.argmin(values))
            if values[j] >= value - 1e-12:
                break
            x, value = moves[j], float(values[j])
        best = min(best, value)
    return best


class CategoricalSimulation(Problem):
    """``dim`` categorical parameters ``s0..s{dim-1}`` with labels ``"0".."n_levels-1"``, minimized."""

    family = "categorical"

    def __init__(self, name: str, function: Callable[[np.ndarray], np.ndarray], n_levels: int,
                 dim: int = N_STAGES) -> None:
        self.name = name
        self.function = function
        self.n_levels = n_levels
        self.dim = dim

    def build_space(self) -> Space:
        from hypersweep.space import Space, values

        return Space({f"s{i}": values([str(v) for v in range(self.n_levels)]) for i in range(self.dim)})

    def evaluate(self, params: Mapping[str, Any]) -> float:
        x = np.array([int(params[f"s{i}"]) for i in range(self.dim)])
        return float(self.function(x[None])[0])

    @cached_property
    def optimum(self) -> float:  # type: ignore[override]
        return best_by_local_search(self.function, self.n_levels, self.dim)

    def reference_values(self) -> np.ndarray:
        rng = np.random.default_rng(PROBLEM_SEED)
        return self.function(rng.integers(self.n_levels, size=(REFERENCE_SAMPLES, self.dim)))


ACKLEY_LEVELS = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
ACKLEY_LABELS = ("a", "b", "c", "d", "e")


def ackley(x: np.ndarray) -> np.ndarray:
    """Ackley (a=20, b=0.2, c=2 pi) of the rows of ``x``; minimum 0 at the origin."""
    d = x.shape[1]
    s1 = np.sqrt(np.sum(x**2, axis=1) / d)
    s2 = np.sum(np.cos(2 * np.pi * x), axis=1) / d
    return -20 * np.exp(-0.2 * s1) - np.exp(s2) + 20 + np.e


class AckleyCategorical(Problem):
    """Ackley with 20 five-label categorical parameters ``c0..c19`` and 3 continuous ``x0..x2``."""

    family = "categorical"
    name = "ackley_cat"
    n_categorical = 20
    n_continuous = 3

    def __init__(self) -> None:
        rng = np.random.default_rng(PROBLEM_SEED)
        # per parameter: label j stands for ACKLEY_LEVELS[perm[j]] (the label order says nothing)
        self.perms = np.stack([rng.permutation(len(ACKLEY_LEVELS)) for _ in range(self.n_categorical)])

    def build_space(self) -> Space:
        from hypersweep.space import Space, uniform, values

        dims: dict[str, Any] = {f"c{i}": values(list(ACKLEY_LABELS)) for i in range(self.n_categorical)}
        dims.update({f"x{i}": uniform(-2.0, 2.0) for i in range(self.n_continuous)})
        return Space(dims)

    def _point(self, labels: np.ndarray, cont: np.ndarray) -> np.ndarray:
        levels = ACKLEY_LEVELS[self.perms[np.arange(self.n_categorical)[None, :], labels]]
        return np.concatenate([levels, cont], axis=1)

    def evaluate(self, params: Mapping[str, Any]) -> float:
        labels = np.array([[ACKLEY_LABELS.index(params[f"c{i}"]) for i in range(self.n_categorical)]])
        cont = np.array([[float(params[f"x{i}"]) for i in range(self.n_continuous)]])
        return float(ackley(self._point(labels, cont))[0])

    @property
    def optimum(self) -> float:
        return 0.0

    def reference_values(self) -> np.ndarray:
        rng = np.random.default_rng(PROBLEM_SEED)
        labels = rng.integers(len(ACKLEY_LABELS), size=(REFERENCE_SAMPLES, self.n_categorical))
        cont = rng.uniform(-2.0, 2.0, size=(REFERENCE_SAMPLES, self.n_continuous))
        return ackley(self._point(labels, cont))


CATEGORICAL: dict[str, Callable[[], Problem]] = {
    "contamination": lambda: CategoricalSimulation("contamination", Contamination(), 2),
    "pest_control": lambda: CategoricalSimulation("pest_control", PestControl(), 5),
    "ackley_cat": AckleyCategorical,
}
