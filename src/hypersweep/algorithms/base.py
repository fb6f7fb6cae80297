"""The algorithm contract: what to try next, from the space and the trial history only.

An algorithm never touches storage, processes or output. A fresh instance told the whole
stored history must behave as the instance that saw it live, so resume is free.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from hypersweep.records import Direction, Params, Resource, Suggestion, Trial
from hypersweep.space import Space


class Algorithm(ABC):
    """Base class: ``ask`` suggests params, ``tell`` feeds finished trials.

    Subclasses set ``name`` (the registered name) and accept their settings as keyword
    options with the same keys as their block in a sweep file.
    """

    name: ClassVar[str]
    resource: Resource | None = None  # multi-fidelity algorithms put the budget in params under it

    def __init__(self, space: Space, *, direction: Direction | str = Direction.MINIMIZE, seed: int = 0) -> None:
        self.space = space
        self.direction = Direction.parse(direction)
        self.seed = int(seed)
        self._finished: dict[int, Trial] = {}

    # -- history --------------------------------------------------------------------------
    def tell(self, trials: Sequence[Trial]) -> None:
        """Feed finished trials (any order; telling a trial again is a no-op)."""
        new = [t for t in trials if t.is_finished and t.id not in self._finished]
        for trial in new:
            self._finished[trial.id] = trial
        if new:
            self._on_tell(new)

    def _on_tell(self, new: list[Trial]) -> None:
        """Hook for subclasses that update a model incrementally."""

    @property
    def finished(self) -> list[Trial]:
        """Finished trials told so far, by id."""
        return [self._finished[k] for k in sorted(self._finished)]

    # -- suggestions ----------------------------------------------------------------------
    @abstractmethod
    def ask(self, n: int = 1, *, pending: Sequence[Trial] = ()) -> list[Params]:
        """Return up to ``n`` new params dicts, distinct from each other and from ``pending``.

        Returns fewer (possibly none) only when the algorithm has nothing left to propose.
        """

    def suggest(self, n: int = 1, *, pending: Sequence[Trial] = ()) -> list[Suggestion]:
        """Like ``ask``, with the ``meta`` to store beside each trial (none by default).

        Multi-fidelity algorithms override this: their suggestions carry a budget and the
        trial they continue, and their params include ``resource``.
        """
        return [Suggestion(params) for params in self.ask(n, pending=pending)]

    @property
    def waiting(self) -> bool:
        """True when the last ``ask`` returned fewer than asked only because it waits for the
        results of pending trials (e.g. a rung of successive halving), not because it is done."""
        return False

    @property
    def budget(self) -> int | None:
        """How many trials this algorithm will propose in all (None: unbounded)."""
        return None

    def rng(self, *salt: int) -> np.random.Generator:
        """A generator derived from the seed and ``salt`` (e.g. the trial count), so that a
        rebuilt instance continues the same sequence instead of repeating its first draws."""
        return np.random.default_rng(np.random.SeedSequence([self.seed, *salt]))

    def settings(self) -> dict[str, Any]:
        """The options this instance was built with (stored with the sweep)."""
        return {}
