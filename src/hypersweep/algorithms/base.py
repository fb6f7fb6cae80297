"""The algorithm contract: what to try next, from the space and the trial history only.

An algorithm never touches storage, processes or output. A fresh instance told the whole
stored history must behave as the instance that saw it live, so resume is free.

A subclass declares its ``name``, its options once as ``OPTIONS`` (an
:class:`~hypersweep.options.OptionSet`), and implements ``_ask``: the base class parses the
options, and its ``ask`` does the bookkeeping every algorithm shares before calling ``_ask``.
"""
from __future__ import annotations

from abc import ABC
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from hypersweep.algorithms.history import Key, check_n, new_pending, params_key
from hypersweep.options import OptionSet
from hypersweep.records import Direction, Metric, Objectives, Params, Resource, Suggestion, Trial, TrialState
from hypersweep.space import Space

if TYPE_CHECKING:
    from hypersweep.algorithms.creation import CreationContext

ENUMERATION_LIMIT = 200_000
UNSEEN_RANDOM_DRAWS = 64
"""A discrete space of up to this many points is listed in full when drawing finds no unseen
point (``random``, ``bo``, ``smac``), so a small space is used up exactly; a larger one accepts a
repeated point instead of paying for the list."""


class Algorithm(ABC):
    """Base class: ``ask`` suggests params, ``tell`` feeds finished trials.

    Subclasses set ``name`` (the registered name) and ``OPTIONS``, and take their options as
    keywords with the same keys as their block in a sweep file
    (``Algorithm(space, direction=..., seed=..., **options)``).
    """

    name: ClassVar[str]
    OPTIONS: ClassVar[OptionSet | None] = None
    """The options of this algorithm (the keys of its sweep-file block, their defaults and
    rules), declared once: ``__init__`` parses the keyword options with it into ``self.options``,
    ``settings()`` reports those that differ from their defaults, and the sweep-file checker
    reads its names. None only for an algorithm that takes no keyword options here and checks
    its own constructor arguments."""
    resource: Resource | None = None  # multi-fidelity algorithms put the budget in params under it
    MULTI_OBJECTIVE: ClassVar[bool] = False
    """True when the algorithm can run a sweep with several metrics (it ignores them, as ``random``
    and ``grid`` do, or reads them, as the ``MultiObjectiveAlgorithm`` subclasses do)."""

    def __init__(
        self, space: Space, *, direction: Direction | str = Direction.MINIMIZE, seed: int = 0, **options: Any
    ) -> None:
        self.space = space
        self.direction = Direction.parse(direction)
        self.seed = int(seed)
        self.options: dict[str, Any] = self._parse_options(options)
        self._finished: dict[int, Trial] = {}

    @classmethod
    def _parse_options(cls, raw: dict[str, Any]) -> dict[str, Any]:
        if cls.OPTIONS is not None:
            return cls.OPTIONS.parse(raw)
        if raw:
            raise TypeError(f"{cls.__name__} declares no OPTIONS; got options {sorted(raw)}")
        return {}

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
    def ask(self, n: int = 1, *, pending: Sequence[Trial] = ()) -> list[Params]:
        """Return up to ``n`` new params dicts, distinct from each other and from ``pending``.

        Returns fewer (possibly none) only when the algorithm has nothing left to propose.
        Checks ``n``, keeps the pending trials not finished yet (each once), counts the trials
        seen, lowers ``n`` to what ``_trial_cap`` leaves, and lets ``_ask`` choose.
        """
        n = check_n(n)
        waiting = new_pending(self._finished, pending)
        n_seen = len(self._finished) + len(waiting)
        cap = self._trial_cap()
        if cap is not None:
            n = min(n, max(0, cap - n_seen))
        if n == 0:
            return []
        return self._ask(n, waiting, n_seen)

    def _ask(self, n: int, waiting: list[Trial], n_seen: int) -> list[Params]:
        """Up to ``n >= 1`` suggestions, distinct from each other and from ``waiting`` (the
        pending trials not finished yet); ``n_seen`` counts finished and waiting trials (the
        usual ``rng`` salt)."""
        raise NotImplementedError(f"{type(self).__name__} implements neither ask nor _ask")

    def _trial_cap(self) -> int | None:
        """Trials seen (finished + pending) from which ``ask`` proposes nothing; None: no cap."""
        return None

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

    def _within_grid(self, n: int | None) -> int | None:
        """``n`` trials, at most the grid size on a fully discrete space (where each point is
        proposed once); None: unbounded."""
        limits = [] if n is None else [int(n)]
        if self.space.is_discrete and self.space.grid_size is not None:
            limits.append(int(self.space.grid_size))
        return min(limits) if limits else None

    def _enumerable(self) -> bool:
        """True for a discrete space of at most ``ENUMERATION_LIMIT`` points."""
        size = self.space.grid_size
        return size is not None and size <= ENUMERATION_LIMIT

    def _first_unseen(self, candidates: Sequence[Params], seen: set[Key]) -> Params | None:
        """The first of ``candidates`` not in ``seen`` (added to it), None if all are seen."""
        for params in candidates:
            key = params_key(params, self.space.names)
            if key not in seen:
                seen.add(key)
                return params
        return None

    def _unseen_random(self, taken: set[Key], rng: np.random.Generator) -> Params | None:
        """A random point not in ``taken``; None when a small discrete space is used up (a
        repeated random point when no unseen one turns up otherwise)."""
        names = self.space.names
        for params in self.space.sample_many(rng, UNSEEN_RANDOM_DRAWS):
            if params_key(params, names) not in taken:
                return params
        if self._enumerable():
            free = [p for p in self.space.iter_grid() if params_key(p, names) not in taken]
            return free[int(rng.integers(len(free)))] if free else None
        return self.space.sample(rng)

    def rng(self, *salt: int) -> np.random.Generator:
        """A generator derived from the seed and ``salt`` (e.g. the trial count), so that a
        rebuilt instance continues the same sequence instead of repeating its first draws."""
        return np.random.default_rng(np.random.SeedSequence([self.seed, *salt]))

    def resolve_options(self, given: Mapping[str, Any], context: CreationContext) -> dict[str, Any]:
        """The options the sweep stores, resolved against its store before the sweep record is
        created or matched (``generative``'s ``from_sweeps`` meta-trains here and records the
        checkpoint); the instance then runs with them. By default ``given``, unchanged."""
        return dict(given)

    def settings(self) -> dict[str, Any]:
        """The options this instance was built with that differ from their defaults (stored
        with the sweep)."""
        return {} if self.OPTIONS is None else self.OPTIONS.changed(self.options)


class MultiObjectiveAlgorithm(Algorithm):
    """An algorithm given the sweep's ``objectives`` (its metrics and constraints) by ``make_algorithm``.

    Without them (an algorithm built on its own) it optimizes the trials' ``value`` in
    ``direction``, unconstrained.
    """

    MULTI_OBJECTIVE: ClassVar[bool] = True

    def __init__(
        self,
        space: Space,
        *,
        direction: Direction | str = Direction.MINIMIZE,
        seed: int = 0,
        objectives: Objectives | None = None,
        **options: Any,
    ) -> None:
        super().__init__(space, direction=direction, seed=seed, **options)
        self.objectives = objectives or Objectives((Metric("value", direction),))

    def results(self, trials: Sequence[Trial]) -> tuple[list[Trial], np.ndarray, np.ndarray]:
        """The completed trials that reported every objective, their losses (n, k) and their
        total constraint violation (n,; 0 when feasible)."""
        kept, losses, violation = [], [], []
        first = self.objectives.metrics[0].name
        for trial in trials:
            if trial.state is not TrialState.COMPLETED:
                continue
            metrics = dict(trial.metrics)
            if first not in metrics and trial.value is not None:
                metrics[first] = trial.value
            row = self.objectives.losses(metrics)
            if row is None:
                continue
            kept.append(trial)
            losses.append(row)
            violation.append(self.objectives.violation(metrics))
        k = len(self.objectives.metrics)
        return kept, np.asarray(losses, dtype=float).reshape(-1, k), np.asarray(violation, dtype=float)
