"""Grid search (Polyaxon's ``grid_search``): every combination of a discrete space, in order."""
from __future__ import annotations

import copy
import itertools
import logging
import sys
from collections import Counter
from collections.abc import Iterator
from typing import Any, ClassVar

import numpy as np

from hypersweep.algorithms import register
from hypersweep.algorithms.base import Algorithm
from hypersweep.algorithms.history import Key, first_continuous_dimension, params_key
from hypersweep.exceptions import SpecError
from hypersweep.options import OptionSet, OptionValueError, custom, integer
from hypersweep.records import Direction, Params, Trial
from hypersweep.space import Space

logger = logging.getLogger(__name__)

_DISCRETE_KINDS = "values, range, linspace, logspace or geomspace"
_COUNT = integer("n_experiments", None, minimum=1)


_N_EXPERIMENTS_RULE = "must be an integer >= 1, a fraction of the grid in (0, 1), or null"


def _count_or_share(value: Any, field: str) -> int | float:
    """``n_experiments`` of a grid: an integer >= 1, or a fraction of the grid in (0, 1)."""
    if isinstance(value, (float, np.floating)) and 0.0 < float(value) < 1.0:
        return float(value)
    try:
        return int(_COUNT.check(value, field))
    except OptionValueError:
        raise OptionValueError(_N_EXPERIMENTS_RULE) from None


# -- grid search ------------------------------------------------------------------------------
@register
class GridSearch(Algorithm):
    """Polyaxon's ``grid_search``: propose ``space.grid()`` in order, each point once.

    Points already present among the finished or pending trials are skipped, counted as a
    multiset: two trials with the same params use up one grid point (the grid proposes each
    point once), and a trial listed both as finished and as pending counts once. Failed and
    pruned trials use up their point too (grid search does not retry). Trials whose params are
    not among the proposed points (added by hand, or beyond the ``n_experiments`` cap) are
    ignored. When every point is taken ``ask`` returns ``[]``.

    The order does not depend on ``seed``; ``direction`` is irrelevant.

    Args:
        space: a space whose every dimension is discrete (values, range, linspace, logspace,
            geomspace, ...).
        n_experiments: propose only the first ``n_experiments`` grid points (Polyaxon's
            ``grid_search: {n_experiments: N}``); a float in (0, 1) is that fraction of the
            grid (at least one point). None: the whole grid.

    Raises:
        SpecError: the space has a continuous dimension (it is named).
        AlgorithmError: a bad ``n_experiments``.

    Example:
        >>> import hypersweep.space as sp
        >>> space = sp.Space({"a": sp.values([1, 2]), "b": sp.values(["x", "y"])})
        >>> grid = GridSearch(space, n_experiments=3)
        >>> grid.ask(5)
        [{'a': 1, 'b': 'x'}, {'a': 1, 'b': 'y'}, {'a': 2, 'b': 'x'}]
    """

    name: ClassVar[str] = "grid"
    MULTI_OBJECTIVE: ClassVar[bool] = True  # a draw needs no result
    OPTIONS: ClassVar[OptionSet] = OptionSet("grid", custom("n_experiments", None, _count_or_share, rule=_N_EXPERIMENTS_RULE, optional=True))
    #: read by the algorithm suite: only discrete spaces fit, and the seed changes nothing.
    requires_discrete: ClassVar[bool] = True
    uses_seed: ClassVar[bool] = False

    def __init__(
        self,
        space: Space,
        *,
        direction: Direction | str = Direction.MINIMIZE,
        seed: int = 0,
        **options: Any,
    ) -> None:
        super().__init__(space, direction=direction, seed=seed, **options)
        self.n_experiments: int | float | None = self.options["n_experiments"]
        _require_discrete(space)
        # how many finished trials hold each params key (kept up to date by tell)
        self._finished_counts: Counter[Key] = Counter()
        # grid points with their keys, enumerated lazily as far as asks have needed
        self._points: list[tuple[Key, Params]] = []
        self._source: Iterator[Params] | None = None
        self._source_done = False
        # every point before the frontier is taken by a finished trial; _prefix_used counts
        # the finished trials those points account for, so asks only walk past the frontier
        self._frontier = 0
        self._prefix_used: Counter[Key] = Counter()

    # -- the fixed list of points -----------------------------------------------------------
    @property
    def grid_size(self) -> int:
        """Number of combinations in the whole grid."""
        size = self.space.grid_size
        if size is None:  # pragma: no cover - excluded by _require_discrete
            _require_discrete(self.space)
        return int(size)  # type: ignore[arg-type]

    @property
    def budget(self) -> int:
        """How many points this search proposes: ``min(grid size, n_experiments)``."""
        cap = self.n_experiments
        if isinstance(cap, float):
            size = self.grid_size
            cap = max(1, int(cap * size)) if size else 0
        return int(self._within_grid(cap))  # type: ignore[arg-type]

    def _point(self, i: int) -> tuple[Key, Params] | None:
        """Grid point ``i`` (among the first ``budget``) with its key; None past the end."""
        while len(self._points) <= i and not self._source_done:
            if self._source is None:
                iter_grid = getattr(self.space, "iter_grid", None)
                points = iter_grid() if callable(iter_grid) else iter(self.space.grid())
                budget = self.budget  # islice takes at most sys.maxsize; a larger grid is never walked to its end
                self._source = itertools.islice(points, budget) if budget <= sys.maxsize else points
            params = next(self._source, None)
            if params is None:
                self._source_done = True
                break
            self._points.append((params_key(params, self.space.names), params))
        return self._points[i] if i < len(self._points) else None

    def _left(self, key: Key) -> int:
        """Finished trials with this key not yet matched to a point before the frontier."""
        return self._finished_counts[key] - self._prefix_used[key]

    def _advance_frontier(self) -> None:
        while (item := self._point(self._frontier)) is not None and self._left(item[0]) > 0:
            self._prefix_used[item[0]] += 1
            self._frontier += 1

    # -- ask --------------------------------------------------------------------------------
    def _ask(self, n: int, waiting: list[Trial], n_seen: int) -> list[Params]:
        """The next ``n`` grid points not yet taken by a finished or pending trial.

        Each finished or pending trial takes the first free grid point equal to its params.
        """
        self._advance_frontier()
        names = self.space.names
        pending_left = Counter(params_key(t.params, names) for t in waiting)
        matched: Counter[Key] = Counter()  # finished trials matched past the frontier
        chosen: set[Key] = set()
        out: list[Params] = []
        i = self._frontier
        while len(out) < n and (item := self._point(i)) is not None:
            key, params = item
            i += 1
            if self._left(key) - matched[key] > 0:
                matched[key] += 1
            elif pending_left[key] > 0:
                pending_left[key] -= 1
            elif key not in chosen:  # a repeated grid point waits for a later ask
                chosen.add(key)
                out.append(copy.deepcopy(params))
        return out

    def _on_tell(self, new: list[Trial]) -> None:
        names = self.space.names
        self._finished_counts.update(params_key(t.params, names) for t in new)


def _require_discrete(space: Space) -> None:
    """Raise a SpecError naming the first continuous dimension, with the fix."""
    if space.is_discrete:
        return
    name = first_continuous_dimension(space)
    if name is not None:
        kind = getattr(space[name], "kind", "a distribution")
        raise SpecError(
            f"grid: matrix.{name} is {kind}, not a discrete kind, and grid search needs every "
            f"dimension discrete; use algorithm 'random' (or a model-based one) or give "
            f"{name} a discrete kind ({_DISCRETE_KINDS})"
        )
    try:
        space.grid()
    except SpecError as exc:
        raise SpecError(
            f"grid: {exc}; grid search needs every dimension discrete: use algorithm 'random' "
            f"or a discrete kind ({_DISCRETE_KINDS})"
        ) from None
    raise SpecError(  # pragma: no cover - a space that is not discrete but enumerates
        f"grid: the space is not discrete; use algorithm 'random' or discrete kinds ({_DISCRETE_KINDS})"
    )


__all__ = ["GridSearch"]
