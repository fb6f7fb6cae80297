"""Hyperband and successive halving (Li et al., JMLR 2018): brackets of synchronous halving.

Brackets run in Algorithm 1's order (s = s_max, ..., 0, then the next iteration). A rung is
promoted once all its trials have finished: the best floor(n_i / eta) move on at eta times the
budget, failed and pruned trials never do. With several workers, a bracket that waits for its
rung lets the next bracket start, so workers stay busy; with one worker the order is exactly
Algorithm 1's. All state is rebuilt from the trials' meta, so a killed runner continues its
bracket when run again.
"""
from __future__ import annotations

import copy
import functools
import itertools
import logging
from collections.abc import Iterator, Sequence
from typing import Any, ClassVar

from hypersweep.algorithms import register
from hypersweep.algorithms.history import Key
from hypersweep.algorithms.multifidelity.common import BudgetedAlgorithm
from hypersweep.algorithms.multifidelity.options import SHARED_OPTIONS
from hypersweep.algorithms.multifidelity.rungs import Slot, SlotKey, best_first
from hypersweep.algorithms.multifidelity.schedule import Bracket, bracket, hyperband_brackets, max_bracket
from hypersweep.exceptions import AlgorithmError
from hypersweep.options import OptionSet, integer
from hypersweep.records import Params, Suggestion, Trial
from hypersweep.space import Space

#: ``n_iterations``: how many times to run every bracket (None: until the sweep's budget)
N_ITERATIONS = integer("n_iterations", 1, minimum=1, optional=True)

_Job = tuple[int, int, int, int]  # iteration, bracket s, rung, config
#: spaces up to this many points are dealt to a bracket without replacement
PERMUTED_SPACE_LIMIT = 4096
_PERMUTATION_SALT = 7919
_log = logging.getLogger(__name__)


@register
class Hyperband(BudgetedAlgorithm):
    """Polyaxon's ``hyperband``: every bracket of Li et al.'s Algorithm 1, ``n_iterations`` times.

    Args:
        max_iter: R, the largest budget one trial gets (e.g. epochs).
        eta: the reduction factor (3): each rung keeps 1/eta of its configurations.
        resource: ``{name, type}``: the budget goes into params under ``name`` (an ``int``
            type rounds up); default ``{name: budget, type: float}``.
        resume: promoted configurations continue their parent trial (``trial.parent_run_dir``
            holds its checkpoint) instead of training from scratch.
        n_iterations: how many times to run all the brackets (None: until the sweep's budget).

    Example:
        >>> import hypersweep.space as sp
        >>> hb = Hyperband(sp.Space({"lr": sp.loguniform(1e-4, 1)}), max_iter=81, eta=3)
        >>> hb.budget, hb.suggest()[0].meta["budget"]
        (206, 1.0)
    """

    name: ClassVar[str] = "hyperband"
    OPTIONS: ClassVar[OptionSet] = OptionSet("hyperband", *SHARED_OPTIONS, N_ITERATIONS)
    schedule: ClassVar[str] = "hyperband"
    key_fields: ClassVar[tuple[str, ...]] = ("iteration", "bracket", "rung", "config")

    def __init__(self, space: Space, **options: Any) -> None:
        """``options``: ``direction``, ``seed`` and the keyword options of :attr:`OPTIONS`."""
        super().__init__(space, **options)
        self.n_iterations: int | None = self.options["n_iterations"]
        self.brackets = self._brackets()
        size = self.space.grid_size
        widest = max(b.rungs[0].n for b in self.brackets)
        if size is not None and size < widest:
            _say_space_is_small(self.name, int(size), widest)

    def _brackets(self) -> list[Bracket]:
        """The brackets of one iteration, in running order."""
        return hyperband_brackets(self.max_iter, self.eta)


    @property
    def budget(self) -> int | None:
        """Trainings of ``n_iterations`` full iterations (fewer run when trials fail)."""
        if self.n_iterations is None:
            return None
        return self.n_iterations * sum(b.n_trials for b in self.brackets)

    def _order(self, slots: dict[SlotKey, Slot]) -> Iterator[tuple[int, Bracket]]:
        """(iteration, bracket) in running order; Hyperband's is fixed (``slots`` matter to adaptive ones)."""
        iterations = itertools.count() if self.n_iterations is None else range(self.n_iterations)
        for k in iterations:
            for b in self.brackets:
                yield k, b

    def _plan(self, n: int, slots: dict[SlotKey, Slot], seen: set[Key], running: list[Trial]) -> list[Suggestion]:
        jobs: list[_Job] = []
        blocked = False
        for k, b in self._order(slots):
            if len(jobs) >= n:
                break
            found, state = _bracket_jobs(k, b, slots, n - len(jobs))
            jobs.extend(found)
            blocked = blocked or state == "blocked"
        self._waiting = len(jobs) < n and blocked
        fresh = [job for job in jobs if job[2] == 0]
        configs = dict(zip(fresh, self._new_configs([(k, s, j) for k, s, _, j in fresh], seen, running)))
        out = []
        for job in jobs:
            k, s, i, j = job
            b = self._bracket_by_s[s]
            place = {"iteration": k, "bracket": s, "rung": i, "config": j}
            if i == 0:
                out.append(self._suggestion(configs[job], b.rungs[0].budget, place))
            else:
                parent = slots[(k, s, i - 1, j)]
                out.append(
                    self._suggestion(parent.params, b.rungs[i].budget, place, (parent.trial_id, b.rungs[i - 1].budget))
                )
        return out

    @property
    def _bracket_by_s(self) -> dict[int, Bracket]:
        return {b.s: b for b in self.brackets}

    def _new_configs(self, keys: Sequence[tuple[int, ...]], seen: set[Key], running: list[Trial]) -> list[Params]:
        """Random configurations; on a small discrete space, slot j of bracket (k, s) takes point
        j of a random ordering of the space drawn for that bracket (a new ordering each time the
        bracket has used every point), so a bracket repeats a configuration only once it has
        tried them all."""
        size = self.space.grid_size
        if size is None or size > PERMUTED_SPACE_LIMIT:
            return super()._new_configs(keys, seen, running)
        points = self.space.grid()
        out = []
        for k, s, j in keys:
            lap, index = divmod(j, len(points))
            order = self.rng(k, s, lap, _PERMUTATION_SALT).permutation(len(points))
            out.append(copy.deepcopy(points[order[index]]))
        return out


@functools.lru_cache(maxsize=None)
def _say_space_is_small(algorithm: str, size: int, widest: int) -> None:
    """Warn once per process that brackets must repeat configurations."""
    _log.warning(
        "%s: the space has %d configurations, fewer than the %d its widest bracket starts with, so "
        "brackets repeat configurations; lower max_iter or raise eta, or use grid search",
        algorithm, size, widest,
    )


def _bracket_jobs(k: int, b: Bracket, slots: dict[SlotKey, Slot], room: int) -> tuple[list[_Job], str]:
    """Trials bracket ``(k, b)`` can start now, and its state: open, blocked or done."""
    members = list(range(b.rungs[0].n))
    for i, rung in enumerate(b.rungs):
        missing = [j for j in members if (k, b.s, i, j) not in slots]
        if missing:
            return [(k, b.s, i, j) for j in missing[:room]], "open"
        if not all(slots[(k, b.s, i, j)].done for j in members):
            return [], "blocked"
        if i + 1 == len(b.rungs):
            return [], "done"
        ranked = best_first((j, slots[(k, b.s, i, j)]) for j in members)
        members = [j for j, _ in ranked[: b.rungs[i + 1].n]]
        if not members:
            return [], "done"
    return [], "done"


@register
class SuccessiveHalving(Hyperband):
    """``successive_halving``: one Hyperband bracket, repeated ``n_iterations`` times.

    ``bracket`` (s, default s_max) sets the first budget to R eta^-s with the bracket's number
    of configurations; s = 0 is plain full-budget search.
    """

    name: ClassVar[str] = "successive_halving"
    OPTIONS: ClassVar[OptionSet] = OptionSet(
        "successive_halving", *SHARED_OPTIONS, N_ITERATIONS, integer("bracket", None, minimum=0, optional=True),
    )
    schedule: ClassVar[str] = "successive_halving"

    def _brackets(self) -> list[Bracket]:
        top = max_bracket(self.max_iter, self.eta)
        s = self.options["bracket"]
        if s is None:
            s = top
        elif s > top:
            raise AlgorithmError(
                f"{self.name}.bracket: must be an integer in [0, {top}] for max_iter={self.max_iter:g}, "
                f"eta={self.eta:g}; got {s!r}"
            )
        return [bracket(s, self.max_iter, self.eta, top)]



__all__ = ["Hyperband", "SuccessiveHalving"]
