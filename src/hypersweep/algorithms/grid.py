"""Grid search (Polyaxon's ``grid_search``): every combination of a discrete space, in order.

Also home of two small helpers every algorithm needs to reason about its history:
:func:`params_key` (a hashable, storage-round-trip-proof identity of a params dict) and
:func:`seen_trials` (finished plus pending trials, each trial id counted once).
"""
from __future__ import annotations

import copy
import logging
import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any, ClassVar

import numpy as np

from hypersweep.algorithms import register
from hypersweep.algorithms.base import Algorithm
from hypersweep.exceptions import AlgorithmError, SpecError
from hypersweep.records import Direction, Params, Trial
from hypersweep.space import Space

logger = logging.getLogger(__name__)

_MISSING = ("<missing>",)
_DISCRETE_KINDS = "values, range, linspace, logspace or geomspace"


# -- helpers shared by the algorithms ---------------------------------------------------------
def _freeze(value: Any) -> Hashable:
    """A hashable stand-in for one param value that survives a JSON/SQL round trip.

    Lists and tuples compare equal (JSON turns tuples into lists), ints and floats compare
    by value (``2 == 2.0``), bools stay apart from ints, numpy scalars count as Python ones.
    """
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return ("<bool>", value)
    if isinstance(value, float) and math.isnan(value):
        return ("<nan>",)
    if isinstance(value, (list, tuple, np.ndarray)):
        return ("<seq>", tuple(_freeze(v) for v in list(value)))
    if isinstance(value, Mapping):
        return ("<map>", tuple(sorted((str(k), _freeze(v)) for k, v in value.items())))
    try:
        hash(value)
    except TypeError:
        return ("<repr>", repr(value))
    return value


def params_key(params: Mapping[str, Any], names: Sequence[str] | None = None) -> tuple[Hashable, ...]:
    """Hashable identity of a params dict: equal keys mean "the same configuration".

    Args:
        params: one params dict.
        names: the parameters that matter (a space's ``names``); default: every key, sorted.
    """
    keys = list(names) if names is not None else sorted(params)
    return tuple((k, _freeze(params[k]) if k in params else _MISSING) for k in keys)


def seen_trials(finished: Iterable[Trial], pending: Iterable[Trial] = ()) -> list[Trial]:
    """Finished and pending trials with every trial id once (a finished record wins).

    A trial can show up in both lists when it finished between the caller reading its
    pending trials and asking; it is still one trial.
    """
    by_id: dict[int, Trial] = {}
    for trial in finished:
        by_id.setdefault(trial.id, trial)
    for trial in pending:
        by_id.setdefault(trial.id, trial)
    return [by_id[k] for k in sorted(by_id)]


def check_n(n: Any) -> int:
    """Validate the ``n`` of ``ask(n)``: a non-negative integer."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise AlgorithmError(f"ask: n must be a non-negative integer; got {n!r}")
    return int(n)


def parse_n_experiments(value: Any, *, algorithm: str, allow_fraction: bool) -> int | float | None:
    """Validate an ``n_experiments`` option: None, an int >= 1, or (grid) a fraction in (0, 1)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise AlgorithmError(
            f"{algorithm}.n_experiments: must be a positive integer; got {value!r}"
        )
    if isinstance(value, (float, np.floating)):
        number = float(value)
        if allow_fraction and 0.0 < number < 1.0:
            return number
        if math.isfinite(number) and number >= 1 and number.is_integer():
            return int(number)
        hint = " or a fraction of the grid in (0, 1)" if allow_fraction else ""
        raise AlgorithmError(
            f"{algorithm}.n_experiments: must be a positive integer{hint}; got {value!r}"
        )
    if int(value) < 1:
        raise AlgorithmError(f"{algorithm}.n_experiments: must be a positive integer; got {value!r}")
    return int(value)


def first_continuous_dimension(space: Space) -> str | None:
    """Name of the first dimension that is not discrete, or None if every one is."""
    if space.is_discrete:
        return None
    for name in space.names:
        flag = getattr(space[name], "is_discrete", None)
        if flag is False:
            return name
    return None


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
    #: read by the algorithm suite: only discrete spaces fit, and the seed changes nothing.
    requires_discrete: ClassVar[bool] = True
    uses_seed: ClassVar[bool] = False

    def __init__(
        self,
        space: Space,
        *,
        direction: Direction | str = Direction.MINIMIZE,
        seed: int = 0,
        n_experiments: int | float | None = None,
    ) -> None:
        super().__init__(space, direction=direction, seed=seed)
        self.n_experiments = parse_n_experiments(n_experiments, algorithm="grid", allow_fraction=True)
        _require_discrete(space)
        self._points: list[tuple[tuple[Hashable, ...], Params]] | None = None

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
        size = self.grid_size
        cap = self.n_experiments
        if cap is None:
            return size
        if isinstance(cap, float):
            return max(1, int(cap * size)) if size else 0
        return min(size, cap)

    def _candidates(self) -> list[tuple[tuple[Hashable, ...], Params]]:
        if self._points is None:
            names = self.space.names
            points = self.space.grid()[: self.budget]
            self._points = [(params_key(p, names), p) for p in points]
        return self._points

    # -- ask --------------------------------------------------------------------------------
    def ask(self, n: int = 1, *, pending: Sequence[Trial] = ()) -> list[Params]:
        """The next ``n`` grid points not yet taken by a finished or pending trial."""
        n = check_n(n)
        if n == 0:
            return []
        names = self.space.names
        taken = Counter(params_key(t.params, names) for t in seen_trials(self.finished, pending))
        out: list[Params] = []
        chosen: set[tuple[Hashable, ...]] = set()
        for key, params in self._candidates():
            if taken[key] > 0:
                taken[key] -= 1
                continue
            if key in chosen:  # a repeated grid point waits for a later ask
                continue
            chosen.add(key)
            out.append(copy.deepcopy(params))
            if len(out) == n:
                break
        return out

    def settings(self) -> dict[str, Any]:
        return {} if self.n_experiments is None else {"n_experiments": self.n_experiments}


def _require_discrete(space: Space) -> None:
    """Raise a SpecError naming the first continuous dimension, with the fix."""
    if space.is_discrete:
        return
    name = first_continuous_dimension(space)
    if name is not None:
        raise SpecError(
            f"grid: matrix.{name} is a continuous distribution and grid search needs every "
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


__all__ = ["GridSearch", "params_key", "seen_trials"]
