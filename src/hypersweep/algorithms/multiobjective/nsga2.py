"""NSGA-II (registered as ``nsga2``): evolutionary multi-objective search for large budgets."""
from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from scipy.stats import qmc

from hypersweep.algorithms import register
from hypersweep.algorithms.base import MultiObjectiveAlgorithm
from hypersweep.algorithms.history import Key, params_key
from hypersweep.options import OptionSet, integer, number
from hypersweep.pareto import constrained_ranks, crowding_distance
from hypersweep.records import Direction, Objectives, Params, Trial
from hypersweep.space import Space

_RETRIES = 16  # offspring drawn again when one repeats a configuration already taken


@register
class NSGA2(MultiObjectiveAlgorithm):
    """Deb's NSGA-II in steady state, rebuilt from the trials alone.

    The first ``population_size`` trials are scrambled Sobol points. Every later child comes
    from the current population: the best ``population_size`` completed trials under Deb's
    constraint domination (feasible before infeasible, infeasible by total violation, feasible
    by non-dominated rank, then crowding distance). Two binary tournaments pick the parents, a
    simulated binary crossover (SBX) and a polynomial mutation on the unit encoding make the
    child, which the space snaps to a legal point. Everything the child depends on is the told
    history, the pending trials and the seed, so a rebuilt instance continues exactly.

    Args:
        space: any search space.
        population_size: initial Sobol trials and size of the parent population [20].
        crossover_prob: probability that a child mixes two parents [0.9].
        eta_crossover, eta_mutation: distribution indices of SBX and of the mutation [15, 20].
        mutation_prob: per-column mutation probability; None: one over the number of columns.
        n_experiments: total trials to propose; None: unbounded.

    Example:
        >>> import hypersweep.space as sp
        >>> algo = NSGA2(sp.Space({"x": sp.uniform(0, 1)}), seed=0, population_size=4)
        >>> len(algo.ask(3))
        3
    """

    name: ClassVar[str] = "nsga2"
    OPTIONS: ClassVar[OptionSet] = OptionSet(
        "nsga2",
        integer("population_size", 20, minimum=4),
        number("crossover_prob", 0.9, minimum=0.0, maximum=1.0),
        number("eta_crossover", 15.0, minimum=0.0),
        number("eta_mutation", 20.0, minimum=0.0),
        number("mutation_prob", None, minimum=0.0, maximum=1.0, optional=True),
        integer("n_experiments", None, minimum=1, optional=True),
    )

    def __init__(
        self,
        space: Space,
        *,
        direction: Direction | str = Direction.MINIMIZE,
        seed: int = 0,
        objectives: Objectives | None = None,
        **options: Any,
    ) -> None:
        super().__init__(space, direction=direction, seed=seed, objectives=objectives, **options)
        self.population_size: int = self.options["population_size"]
        self._keys: set[Key] = set()

    @property
    def budget(self) -> int | None:
        return self._within_grid(self.options["n_experiments"])

    def _trial_cap(self) -> int | None:
        return self.options["n_experiments"]

    def _on_tell(self, new: list[Trial]) -> None:
        self._keys.update(params_key(t.params, self.space.names) for t in new)

    def _ask(self, n: int, waiting: list[Trial], n_seen: int) -> list[Params]:
        names = self.space.names
        taken = self._keys | {params_key(t.params, names) for t in waiting}
        population = self._population()
        out: list[Params] = []
        for j in range(n):
            index = n_seen + j
            rng = self.rng(index)
            params = None
            for attempt in range(_RETRIES):
                if index < self.population_size or population is None:
                    x = self._sobol(index) if attempt == 0 else rng.random(self.space.n_columns)
                else:
                    x = self._child(population, rng)
                candidate = self.space.from_unit(x)
                if params_key(candidate, names) not in taken:
                    params = candidate
                    break
            if params is None:
                if self.space.is_discrete and self._enumerable():
                    free = [p for p in self.space.iter_grid() if params_key(p, names) not in taken]
                    if not free:
                        break
                    params = free[int(rng.integers(len(free)))]
                else:
                    params = self.space.from_unit(rng.random(self.space.n_columns))
            taken.add(params_key(params, names))
            out.append(params)
        return out

    # -- the population -------------------------------------------------------------------------
    def _population(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """Encodings, ranks and crowding of the best ``population_size`` completed trials; None
        before two of them exist."""
        trials, losses, violation = self.results(self.finished)
        if len(trials) < 2:
            return None
        ranks = constrained_ranks(losses, violation)
        crowd = np.zeros(len(trials))
        for rank in np.unique(ranks):
            members = np.flatnonzero(ranks == rank)
            crowd[members] = crowding_distance(losses[members]) if violation[members[0]] <= 0 else 0.0
        order = np.lexsort((-crowd, ranks))[: self.population_size]
        x = self.space.to_unit_many([trials[i].params for i in order])
        return x, ranks[order], crowd[order]

    def _sobol(self, index: int) -> np.ndarray:
        sobol = qmc.Sobol(self.space.n_columns, scramble=True, seed=self.seed)
        if index:
            sobol.fast_forward(index)
        return sobol.random(1)[0]

    def _child(self, population: tuple[np.ndarray, np.ndarray, np.ndarray], rng: np.random.Generator) -> np.ndarray:
        x, ranks, crowd = population
        first, second = x[_tournament(ranks, crowd, rng)], x[_tournament(ranks, crowd, rng)]
        child = first.copy()
        if rng.random() < self.options["crossover_prob"]:
            child = _sbx(first, second, self.options["eta_crossover"], rng)
        prob = self.options["mutation_prob"]
        return _mutate(child, self.options["eta_mutation"], 1.0 / len(child) if prob is None else prob, rng)


def _tournament(ranks: np.ndarray, crowd: np.ndarray, rng: np.random.Generator) -> int:
    """The better of two distinct random members: lower rank, then larger crowding distance."""
    a, b = rng.choice(len(ranks), size=2, replace=False)
    if ranks[a] != ranks[b]:
        return int(a if ranks[a] < ranks[b] else b)
    return int(a if crowd[a] >= crowd[b] else b)


def _sbx(a: np.ndarray, b: np.ndarray, eta: float, rng: np.random.Generator) -> np.ndarray:
    """One child of simulated binary crossover on [0, 1] (each column swapped with probability 1/2)."""
    u = rng.random(len(a))
    beta = np.where(u <= 0.5, (2 * u) ** (1 / (eta + 1)), (1 / (2 * (1 - u))) ** (1 / (eta + 1)))
    child = 0.5 * ((1 + beta) * a + (1 - beta) * b)
    mixed = rng.random(len(a)) < 0.5
    child[mixed] = (0.5 * ((1 - beta) * a + (1 + beta) * b))[mixed]
    return np.clip(child, 0.0, 1.0)


def _mutate(x: np.ndarray, eta: float, prob: float, rng: np.random.Generator) -> np.ndarray:
    """Deb's polynomial mutation of each column with probability ``prob``, bounded to [0, 1]."""
    out = x.copy()
    hit = rng.random(len(x)) < prob
    u = rng.random(len(x))
    low = (2 * u + (1 - 2 * u) * (1 - out) ** (eta + 1)) ** (1 / (eta + 1)) - 1
    high = 1 - (2 * (1 - u) + 2 * (u - 0.5) * out ** (eta + 1)) ** (1 / (eta + 1))
    delta = np.where(u < 0.5, low, high)
    out[hit] = out[hit] + delta[hit]
    return np.clip(out, 0.0, 1.0)


__all__ = ["NSGA2"]
