"""The ``tpe`` algorithm: ask/tell around the Parzen estimators."""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar

import numpy as np

from hypersweep.algorithms import register
from hypersweep.algorithms.base import MultiObjectiveAlgorithm
from hypersweep.algorithms.history import Key, params_key
from hypersweep.algorithms.random import RandomSearch
from hypersweep.algorithms.tpe.groups import GroupedTPE
from hypersweep.algorithms.tpe.layout import Layout, Points
from hypersweep.algorithms.tpe.observations import Observations
from hypersweep.algorithms.tpe.options import OPTIONS, good_group_size
from hypersweep.algorithms.tpe.parzen import ParzenEstimator
from hypersweep.options import OptionSet
from hypersweep.records import Direction, Objectives, Params, Trial, TrialState
from hypersweep.space import Space

logger = logging.getLogger(__name__)

#: rounds of fresh candidates drawn from l(x) before falling back to random search when every
#: candidate is a point already seen (late in a small discrete space)
_ROUNDS = 4


@register
class TPE(MultiObjectiveAlgorithm):
    """Tree-structured Parzen estimator with a joint (multivariate) model of the parameters.

    After ``n_startup_trials`` random trials, the finished trials are ranked by loss and split:
    the best ``n_good(n)`` form l(x), the rest (plus failed trials, and pending ones under the
    constant liar) form g(x). Each suggestion draws ``n_ei_candidates`` points from l(x) and
    returns the one maximizing ``log l(x) - log g(x)`` (the expected-improvement ordering) that
    was not tried yet. See :mod:`~hypersweep.algorithms.tpe.parzen` for the kernels and
    :mod:`~hypersweep.algorithms.tpe.observations` for how failed and pruned trials rank.

    Several metrics or constraints (multi-objective TPE): the trials are ranked by non-domination
    under constraints instead (feasible fronts first, then infeasible trials by total violation;
    the last front that fits only partly is cut by hypervolume contribution; see
    :mod:`~hypersweep.algorithms.tpe.split`); the estimators, options and determinism are the same.

    Options (the keys of a sweep file's ``tpe:`` block):
        n_startup_trials: random trials before the model is used (default 10); on a discrete
            space capped at a tenth of the grid (at least 1); running startup trials count
            once half of them have finished, so parallel workers start modelling on time.
        n_ei_candidates: candidates drawn from l(x) per suggestion (default 24).
        gamma: fraction of the ranked trials in the good group, ``ceil(gamma * n)``
            (default 0.1), or ``"sqrt"`` for ``ceil(0.25 * sqrt(n))``.
        max_good: cap on the good group's size (default 25).
        prior_weight: weight of the prior kernel against 1 per observation (default 1.0).
        multivariate: one joint kernel per observation (default True) or one independent
            mixture per parameter (False, the original TPE).
        constant_liar: pending trials, and earlier picks of the same ``ask(n)``, join g(x) so
            parallel workers get different points (default True). Without it, pending
            trials are only excluded as repeats.
        consider_magic_clip: floor bandwidths at ``1 / min(100, 1 + n_kernels)`` (default True).
        bandwidth: ``"gap"`` (default): each observation's bandwidth in each parameter is the
            larger gap to its neighbouring observations there (hyperopt, Optuna 5), so kernels
            narrow where good points cluster; ``"fixed"``: one bandwidth
            ``bandwidth_factor * n ** (-1 / (d + 4))`` per group (Optuna 3's multivariate TPE).
        consider_endpoints: gap bandwidths also count the gap to the bounds (default False).
        bandwidth_factor: the factor of ``bandwidth: fixed`` (default 0.2), in unit space.

    Repeats: a suggestion is never a pending point nor another suggestion of the same batch,
    and avoids finished points as far as candidates allow; on a fully discrete space every
    point is proposed at most once and ``budget`` is the grid size.

    Determinism: candidates come from ``self.rng(k)``, ``k`` the number of distinct trials
    seen (finished + pending), and the history is kept in trial-id order, so the same seed
    and history give the same suggestions and a rebuilt instance continues identically.

    Example:
        >>> import hypersweep.space as sp
        >>> space = sp.Space({"lr": sp.loguniform(1e-4, 1e-1), "act": sp.values(["relu", "tanh"])})
        >>> tpe = TPE(space, seed=0, n_startup_trials=5)
        >>> len(tpe.ask(4))
        4
    """

    name: ClassVar[str] = "tpe"
    OPTIONS: ClassVar[OptionSet] = OPTIONS

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
        self.layout = Layout(space)
        several = self.objectives.is_multi or bool(self.objectives.constraints)
        self._obs = Observations(self.layout, self.direction, self.objectives if several else None)
        self._random = RandomSearch(space, direction=direction, seed=seed)
        self._finished_keys: set[Key] = set()
        startup = self.options["n_startup_trials"]
        if space.is_discrete and space.grid_size is not None:
            startup = min(startup, max(1, int(space.grid_size) // 10))
        self.n_startup = startup
        self._grouped = GroupedTPE(space, self.options) if space.conditions else None

    @property
    def budget(self) -> int | None:
        """The grid size on a fully discrete space (each point once); None otherwise."""
        return self._within_grid(None)

    def _on_tell(self, new: list[Trial]) -> None:
        self._obs.add(new)
        self._random.tell(new)
        names = self.space.names
        self._finished_keys.update(params_key(t.params, names) for t in new)

    # -- ask ----------------------------------------------------------------------------------------
    def _ask(self, n: int, waiting: list[Trial], n_seen: int) -> list[Params]:
        """Up to ``n`` suggestions, distinct from each other and from ``waiting``."""
        if self._in_startup(len(waiting)):
            return self._random.ask(n, pending=waiting)
        rng = self.rng(n_seen, 1)
        names = self.space.names
        hard: set[Key] = {params_key(t.params, names) for t in waiting}
        o = self.options
        if self._grouped is not None:
            return self._ask_grouped(n, waiting, rng, hard)
        good, bad = self._obs.split(good_group_size(self._obs.n_valid, o["gamma"], o["max_good"]))
        below = ParzenEstimator(good, self.layout, o)
        liars: list[Points] = []
        if o["constant_liar"] and waiting:
            liars.append(self.layout.encode(self.space.to_unit_many([t.params for t in waiting])))
        picked: list[Trial] = []
        above: ParzenEstimator | None = None
        for _ in range(n):
            if above is None or o["constant_liar"]:
                above = ParzenEstimator(Points.concat([bad, *liars]), self.layout, o)
            if not self._take(self._pick(below, above, rng, hard), waiting, picked, hard):
                break
            if o["constant_liar"]:
                liars.append(self.layout.encode(self.space.to_unit(picked[-1].params)[None, :]))
        return [t.params for t in picked]

    def _ask_grouped(self, n: int, waiting: list[Trial], rng: np.random.Generator, hard: set[Key]) -> list[Params]:
        """As ``_ask`` on a conditional space: one Parzen pair per group of parameters active
        together, fitted on the trials where the group exists (``tpe/groups.py``)."""
        assert self._grouped is not None
        unit, loss, active = self._obs.rows()
        lied: list[Params] = [t.params for t in waiting] if self.options["constant_liar"] else []
        picked: list[Trial] = []
        models = None
        for _ in range(n):
            if models is None or self.options["constant_liar"]:
                liars = (self.space.to_unit_many(lied).reshape(-1, self.space.n_columns), self.space.active_mask(lied))
                models = self._grouped.fit(unit, loss, active, liars)
            params = self._first_new(
                lambda: self._grouped.candidates(models, rng, self.options["n_ei_candidates"]), hard  # type: ignore[union-attr]
            )
            if not self._take(params, waiting, picked, hard):
                break
            lied.append(picked[-1].params)
        return [t.params for t in picked]

    def _take(self, params: Params | None, waiting: list[Trial], picked: list[Trial], hard: set[Key]) -> bool:
        """Add ``params`` (a random unseen point when None) to ``picked`` as a running trial and to
        ``hard``; False when not even random search has a point left."""
        if params is None:
            fill = self._random.ask(1, pending=[*waiting, *picked])
            if not fill:
                return False
            params = fill[0]
        hard.add(params_key(params, self.space.names))
        picked.append(Trial(id=-1 - len(picked), params=params, state=TrialState.RUNNING))
        return True

    def _first_new(self, draw: Callable[[], Iterable[Params]], hard: set[Key]) -> Params | None:
        """The first of the ranked candidates ``draw()`` gives that is neither pending nor picked,
        preferring one not finished either; None when every round's candidates were taken."""
        names = self.space.names
        fallback: Params | None = None
        for _ in range(_ROUNDS):
            for params in draw():
                key = params_key(params, names)
                if key in hard:
                    continue
                if key not in self._finished_keys:
                    return params
                if fallback is None and not self.space.is_discrete:
                    fallback = params
            if fallback is not None:
                return fallback
        return None

    def _in_startup(self, n_waiting: int) -> bool:
        """Whether the next suggestion is a random startup point.

        Sequentially: until ``n_startup`` trials have a loss. With pending trials, the startup
        trials already running count too (so parallel workers switch to the model at the same
        trial count as a sequential run instead of ``workers - 1`` random trials later), as
        long as at least half of the startup trials have a loss to fit the model on.
        """
        n_valid = self._obs.n_valid
        if n_valid >= self.n_startup:
            return False
        return n_valid + n_waiting < self.n_startup or n_valid < max(2, self.n_startup // 2)

    def _pick(
        self, below: ParzenEstimator, above: ParzenEstimator, rng: np.random.Generator, hard: set[Key]
    ) -> Params | None:
        """The best candidate by ``log l - log g`` that is neither pending nor picked, preferring
        one not finished either; None when every candidate of every round was taken."""

        def draw() -> Iterator[Params]:
            cand = below.sample(rng, self.options["n_ei_candidates"])
            score = below.log_pdf(cand) - above.log_pdf(cand)
            order = np.argsort(-score, kind="stable")
            return (self.space.from_unit(row) for row in self.layout.decode(cand.take(order)))

        return self._first_new(draw, hard)


__all__ = ["TPE"]
