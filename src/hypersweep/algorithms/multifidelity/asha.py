"""ASHA, asynchronous successive halving (Li et al., MLSys 2020, Algorithm 2).

Rungs k = 0, 1, ... train with budgets r, r eta, r eta^2, ..., the last one exactly ``max_iter``.
Whenever a worker asks, the highest rung that has a configuration in the top 1/eta of its
completed ones, not yet promoted, promotes it; otherwise a new configuration starts at rung 0.
Nothing ever waits for a rung to fill, so every worker stays busy.
"""
from __future__ import annotations

from typing import Any, ClassVar

from hypersweep.algorithms import register
from hypersweep.algorithms.history import Key
from hypersweep.algorithms.multifidelity.common import BudgetedAlgorithm
from hypersweep.algorithms.multifidelity.options import SHARED_OPTIONS
from hypersweep.algorithms.multifidelity.rungs import Slot, SlotKey, best_first
from hypersweep.algorithms.multifidelity.schedule import keep, max_bracket
from hypersweep.exceptions import AlgorithmError
from hypersweep.options import OptionSet, integer, number
from hypersweep.records import Suggestion, Trial
from hypersweep.space import Space


def rung_budgets(min_iter: float, max_iter: float, eta: float) -> list[float]:
    """min_iter * eta^k while below ``max_iter``, then ``max_iter`` itself as the top rung."""
    budgets = [min_iter * eta**k for k in range(max_bracket(max_iter / min_iter, eta) + 1)]
    if budgets[-1] < max_iter * (1 - 1e-9):
        budgets.append(max_iter)
    return budgets


@register
class ASHA(BudgetedAlgorithm):
    """``asha``: asynchronous successive halving for many workers.

    Args:
        max_iter: R, the budget of the top rung.
        eta: reduction factor (3).
        min_iter: budget of rung 0 (default R eta^-s_max, Hyperband's smallest).
        resource, resume: as for ``hyperband``.
        n_experiments: total number of trials (promotions included); None: unbounded.

    Example:
        >>> import hypersweep.space as sp
        >>> asha = ASHA(sp.Space({"lr": sp.loguniform(1e-4, 1)}), max_iter=52, eta=3, min_iter=1)
        >>> asha.budgets
        [1.0, 3.0, 9.0, 27.0, 52.0]
    """

    name: ClassVar[str] = "asha"
    OPTIONS: ClassVar[OptionSet] = OptionSet(
        "asha",
        *SHARED_OPTIONS,
        number("min_iter", None, minimum=0, open_low=True, optional=True),
        integer("n_experiments", None, minimum=1, optional=True),
    )
    schedule: ClassVar[str] = "asha"
    key_fields: ClassVar[tuple[str, ...]] = ("rung", "config")

    def __init__(self, space: Space, **options: Any) -> None:
        """``options``: ``direction``, ``seed`` and the keyword options of :attr:`OPTIONS`."""
        super().__init__(space, **options)
        min_iter = self.options["min_iter"]
        if min_iter is None:
            min_iter = self.max_iter * self.eta ** (-max_bracket(self.max_iter, self.eta))
        elif min_iter > self.max_iter:
            raise AlgorithmError(
                f"asha.min_iter: must be at most max_iter={self.max_iter:g}; got {min_iter:g}; lower it or raise max_iter"
            )
        self.min_iter: float = min_iter
        self.n_experiments: int | None = self.options["n_experiments"]
        self.budgets = rung_budgets(self.min_iter, self.max_iter, self.eta)


    @property
    def budget(self) -> int | None:
        return self.n_experiments

    def _plan(self, n: int, slots: dict[SlotKey, Slot], seen: set[Key], running: list[Trial]) -> list[Suggestion]:
        self._waiting = False
        n_trials = len(self._finished) + len(running)
        if self.n_experiments is not None:
            n = min(n, max(0, self.n_experiments - n_trials))
        top = len(self.budgets) - 1
        by_rung: list[dict[int, Slot]] = [{} for _ in self.budgets]
        for (k, j), slot in slots.items():
            if isinstance(k, int) and 0 <= k <= top:
                by_rung[k][j] = slot
        next_config = max((j for (_, j) in slots), default=-1) + 1
        jobs: list[tuple[int, int]] = []  # (rung, config)
        for _ in range(n):
            promotion = self._promotion(by_rung, top)
            if promotion is None:
                by_rung[0][next_config] = Slot({})  # started now, no result yet
                jobs.append((0, next_config))
                next_config += 1
            else:
                k, j = promotion
                by_rung[k + 1][j] = Slot(by_rung[k][j].params)
                jobs.append((k + 1, j))
        fresh = [j for k, j in jobs if k == 0]
        configs = dict(zip(fresh, self._new_configs([(j,) for j in fresh], seen, running)))
        out = []
        for k, j in jobs:
            place = {"rung": k, "config": j}
            if k == 0:
                out.append(self._suggestion(configs[j], self.budgets[0], place))
            else:
                parent = by_rung[k - 1][j]
                out.append(
                    self._suggestion(parent.params, self.budgets[k], place, (parent.trial_id, self.budgets[k - 1]))
                )
        return out

    def _promotion(self, by_rung: list[dict[int, Slot]], top: int) -> tuple[int, int] | None:
        """(rung, config) of the best promotable configuration on the highest rung, or None."""
        for k in range(top - 1, -1, -1):
            ranked = best_first(by_rung[k].items())
            for j, _ in ranked[: keep(len(ranked), self.eta)]:
                if j not in by_rung[k + 1]:
                    return k, j
        return None


__all__ = ["ASHA", "rung_budgets"]
