"""Random search (Polyaxon's ``random_search``): independent draws from the space."""
from __future__ import annotations

import copy
import logging
from typing import Any, ClassVar, cast

import numpy as np

from hypersweep.algorithms import register
from hypersweep.algorithms.base import Algorithm
from hypersweep.algorithms.history import Key, params_key
from hypersweep.options import OptionSet, integer
from hypersweep.records import Direction, Params, Trial
from hypersweep.space import Space

logger = logging.getLogger(__name__)


#: draws tried per suggestion before giving up on avoiding the points already seen
_ATTEMPTS = 32
#: draws tried on a discrete space too large to enumerate before accepting a repeat
_ATTEMPTS_LARGE = 1_000


@register
class RandomSearch(Algorithm):
    """Polyaxon's ``random_search``: each suggestion is a fresh draw from the space.

    Repeats: a batch never holds the same params twice and never repeats a pending trial,
    and it avoids finished ones too, as far as the space allows:

    * on a fully discrete space (``space.is_discrete``) the search samples *without
      replacement*: every point of the grid is proposed at most once (finished, failed and
      pending trials all use up their point); once all are taken ``ask`` returns fewer
      suggestions, eventually ``[]``, and ``budget`` is at most the grid size. Draws follow the
      space's own distribution (``pvalues`` weights included); when most of the grid is
      taken the remaining points are drawn uniformly.
    * on any other space (a continuous or quantized distribution somewhere) a repeat has
      probability zero or the space is effectively finite but not enumerable: the search
      redraws up to a few dozen times to avoid seen points and, failing that, accepts a
      repeat of a finished point (never of a pending one when any alternative turns up). It
      never runs dry.

    Determinism: the draws for a call come from ``self.rng(k)`` where ``k`` is the number of
    distinct trials seen (finished + pending), so the same seed and the same history give
    the same suggestions, a fresh instance told the history continues exactly where a live
    one would, and another seed gives other suggestions. ``direction`` is irrelevant.

    Args:
        space: any search space.
        n_experiments: total number of trials to propose (Polyaxon's
            ``random_search: {n_experiments: N}``); every trial seen counts. None: unbounded
            (on a discrete space: the grid size).

    Example:
        >>> import hypersweep.space as sp
        >>> space = sp.Space({"lr": sp.loguniform(1e-4, 1e-1), "units": sp.values([32, 64])})
        >>> search = RandomSearch(space, seed=0, n_experiments=10)
        >>> batch = search.ask(4)
        >>> len(batch), search.budget
        (4, 10)
    """

    name: ClassVar[str] = "random"
    MULTI_OBJECTIVE: ClassVar[bool] = True  # a draw needs no result
    OPTIONS: ClassVar[OptionSet] = OptionSet("random", integer("n_experiments", None, minimum=1, optional=True))

    def __init__(
        self,
        space: Space,
        *,
        direction: Direction | str = Direction.MINIMIZE,
        seed: int = 0,
        **options: Any,
    ) -> None:
        super().__init__(space, direction=direction, seed=seed, **options)
        self.n_experiments: int | None = self.options["n_experiments"]
        self._grid_keys: list[tuple[Key, Params]] | None = None
        self._finished_keys: set[Key] = set()  # kept up to date by tell

    @property
    def budget(self) -> int | None:
        """``n_experiments``, capped by the grid size on a discrete space; None: unbounded."""
        return self._within_grid(self.n_experiments)

    def _trial_cap(self) -> int | None:
        """``n_experiments`` (on a discrete space, ``ask`` also stops when every point is taken)."""
        return self.n_experiments

    # -- ask --------------------------------------------------------------------------------
    def _ask(self, n: int, waiting: list[Trial], n_seen: int) -> list[Params]:
        """Up to ``n`` new draws, distinct from each other and from ``waiting``."""
        names = self.space.names
        hard: set[Key] = {params_key(t.params, names) for t in waiting}
        rng = self.rng(n_seen)
        if self.space.is_discrete and self.space.grid_size is not None:
            return self._ask_discrete(n, rng, hard | self._finished_keys)
        return self._ask_any(n, rng, hard, self._finished_keys)

    def _on_tell(self, new: list[Trial]) -> None:
        names = self.space.names
        self._finished_keys.update(params_key(t.params, names) for t in new)

    def _ask_any(self, n: int, rng: np.random.Generator, hard: set[Key], soft: set[Key]) -> list[Params]:
        names = self.space.names
        out: list[Params] = []
        for _ in range(n):
            fallback: Params | None = None
            first: Params | None = None
            pick: Params | None = None
            for _attempt in range(_ATTEMPTS):
                params = self.space.sample(rng)
                key = params_key(params, names)
                if first is None:
                    first = params
                if key in hard:
                    continue
                if key not in soft:
                    pick = params
                    break
                if fallback is None:
                    fallback = params
            chosen = cast(Params, pick if pick is not None else (fallback if fallback is not None else first))
            out.append(chosen)
            hard.add(params_key(chosen, names))
        return out

    def _ask_discrete(self, n: int, rng: np.random.Generator, seen: set[Key]) -> list[Params]:
        names = self.space.names
        size = int(self.space.grid_size)  # type: ignore[arg-type]
        enumerable = self._enumerable()
        unseen: list[tuple[Key, Params]] | None = None
        out: list[Params] = []
        for _ in range(n):
            if enumerable and len(seen) >= size and self._all_seen(seen):
                break
            pick: Params | None = None
            attempts = _ATTEMPTS if enumerable else _ATTEMPTS_LARGE
            first: Params | None = None
            for _attempt in range(attempts):
                params = self.space.sample(rng)
                if first is None:
                    first = params
                if params_key(params, names) not in seen:
                    pick = params
                    break
            if pick is None and enumerable:
                if unseen is None:
                    unseen = [(k, p) for k, p in self._grid() if k not in seen]
                else:
                    unseen = [(k, p) for k, p in unseen if k not in seen]
                if not unseen:
                    break
                pick = copy.deepcopy(unseen[int(rng.integers(len(unseen)))][1])
            if pick is None:  # a huge grid where nearly every draw is taken: accept a repeat
                logger.debug("random: no unseen point in %d draws; repeating one", attempts)
                pick = first
            out.append(cast(Params, pick))
            seen.add(params_key(pick, names))
        return out

    def _grid(self) -> list[tuple[Key, Params]]:
        if self._grid_keys is None:
            names = self.space.names
            self._grid_keys = [(params_key(p, names), p) for p in self.space.grid()]
        return self._grid_keys

    def _all_seen(self, seen: set[Key]) -> bool:
        return all(k in seen for k, _ in self._grid())


__all__ = ["RandomSearch"]
